/** User chart presets in `chart_presets` (schema 9): the saved body as JSON, with its times. */
import type Database from "better-sqlite3";
import type { PresetPutBody } from "@stepwise/protocol";
import type { StoredPreset } from "../structured-store.js";

interface PresetRow {
  id: string;
  body: string;
  created_at: number;
  updated_at: number;
}

export class PresetRecords {
  private readonly upsert: Database.Statement<[string, string, number, number]>;
  private readonly one: Database.Statement<[string], PresetRow>;
  private readonly every: Database.Statement<[], PresetRow>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO chart_presets (id, body, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    );
    this.one = db.prepare("SELECT id, body, created_at, updated_at FROM chart_presets WHERE id = ?");
    this.every = db.prepare("SELECT id, body, created_at, updated_at FROM chart_presets ORDER BY id");
    this.remove = db.prepare("DELETE FROM chart_presets WHERE id = ?");
  }

  put(id: string, body: PresetPutBody, now: number): StoredPreset {
    this.upsert.run(id, JSON.stringify(body), now, now);
    return this.get(id) as StoredPreset;
  }

  get(id: string): StoredPreset | null {
    const row = this.one.get(id);
    return row === undefined ? null : toPreset(row);
  }

  list(): StoredPreset[] {
    return this.every.all().map(toPreset);
  }

  /** Whether a preset was removed. */
  delete(id: string): boolean {
    return this.remove.run(id).changes > 0;
  }
}

function toPreset(row: PresetRow): StoredPreset {
  return {
    id: row.id,
    body: JSON.parse(row.body) as PresetPutBody,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
