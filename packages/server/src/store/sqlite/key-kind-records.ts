/**
 * Key kinds: per run and key, each kind of value the key held (`string`, `image-file`,
 * `histogram`, …) with how many values and the first and last step. Written by the rich values
 * hook, one upsert per (key, kind) per batch; numbers are not written here, they are the run's
 * series (the `series` table already has one row per numeric key), and are read from there.
 */
import type Database from "better-sqlite3";
import { keyKindTallies, MAX_LISTED_KEYS } from "../media-rows.js";
import type { StoredKeyKind } from "../media-store.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

interface KindRow {
  key: string;
  kind: string;
  runs: number;
  count: number;
  first_step: number | null;
  last_step: number | null;
}

export class KeyKindRecords implements RichValueExtension {
  private readonly upsert: Database.Statement<[number, string, string, number, number, number]>;
  private readonly richOf: Database.Statement<[{ pks: string; limit: number }], KindRow>;
  private readonly richOfKeys: Database.Statement<[string, string], KindRow>;
  private readonly numbersOf: Database.Statement<[string, string], KindRow>;

  private readonly clear: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.clear = db.prepare("DELETE FROM key_kinds WHERE run_pk = ?");
    this.upsert = db.prepare(
      `INSERT INTO key_kinds (run_pk, key, kind, count, first_step, last_step) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_pk, key, kind) DO UPDATE SET count = count + excluded.count,
         first_step = min(first_step, excluded.first_step), last_step = max(last_step, excluded.last_step)`,
    );
    // The run pks come as a JSON array: one statement whatever the number of runs.
    const kindColumns = `key, kind, COUNT(*) AS runs, SUM(count) AS count,
      MIN(first_step) AS first_step, MAX(last_step) AS last_step`;
    this.richOf = db.prepare(
      `SELECT ${kindColumns} FROM key_kinds WHERE run_pk IN (SELECT value FROM json_each(@pks))
       AND key IN (SELECT DISTINCT key FROM key_kinds WHERE run_pk IN (SELECT value FROM json_each(@pks)) ORDER BY key LIMIT @limit)
       GROUP BY key, kind`,
    );
    this.richOfKeys = db.prepare(
      `SELECT ${kindColumns} FROM key_kinds WHERE run_pk IN (SELECT value FROM json_each(?))
       AND key IN (SELECT value FROM json_each(?)) GROUP BY key, kind`,
    );
    // First step: the first chunk's first x (steps rise in all but odd runs; good enough for an order).
    this.numbersOf = db.prepare(
      `SELECT s.key AS key, 'number' AS kind, COUNT(*) AS runs, SUM(s.point_count) AS count,
         MIN((SELECT c.x_first FROM series_chunks c WHERE c.series_id = s.id AND c.chunk_index = 0)) AS first_step,
         MAX(s.last_x) AS last_step
       FROM series s WHERE s.run_pk IN (SELECT value FROM json_each(?)) AND s.key IN (SELECT value FROM json_each(?))
       GROUP BY s.key`,
    );
  }

  clearRun(runPk: number): void {
    this.clear.run(runPk);
  }

  apply(runPk: number, values: readonly RichValue[]): void {
    for (const t of keyKindTallies(values)) this.upsert.run(runPk, t.key, t.kind, t.count, t.first, t.last);
  }

  /**
   * Kinds of the given keys (numbers included) over the runs; without keys, every key that held
   * a value other than a number (up to MAX_LISTED_KEYS, in code point order), numbers included.
   */
  list(runPks: readonly number[], keys: readonly string[] | null): StoredKeyKind[] {
    const pks = JSON.stringify(runPks);
    const rich =
      keys === null
        ? this.richOf.all({ pks, limit: MAX_LISTED_KEYS })
        : this.richOfKeys.all(pks, JSON.stringify(keys));
    const wanted = keys ?? [...new Set(rich.map((r) => r.key))];
    const numbers = wanted.length === 0 ? [] : this.numbersOf.all(pks, JSON.stringify(wanted));
    return [...rich, ...numbers].map((r) => ({
      key: r.key,
      kind: r.kind,
      runs: r.runs,
      count: r.count,
      firstStep: r.first_step,
      lastStep: r.last_step,
    }));
  }
}
