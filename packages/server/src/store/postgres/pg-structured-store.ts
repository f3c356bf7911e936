/**
 * The structured part of the PostgreSQL store: chart presets, and a numeric series' points
 * (read through the series port, as charts read them). Histograms and table versions are not
 * built yet on PostgreSQL (their index is built from history rows at ingest): those methods
 * answer with NotBuiltOnPostgresError.
 */
import type pg from "pg";
import type { PresetPutBody, RunRef } from "@stepwise/protocol";
import { CHUNK_POINTS } from "../../domain/series-levels.js";
import type {
  HistogramKeyInfo,
  StoredHistogram,
  StoredPreset,
  StructuredStore,
  TableVersionRecord,
} from "../structured-store.js";
import { transaction } from "./pg-database.js";
import { NotBuiltOnPostgresError } from "./pg-not-built.js";
import { PgSeriesPort } from "./pg-series-port.js";

interface PresetRow {
  id: string;
  body: string;
  created_at: number;
  updated_at: number;
}

export class PgStructuredStore implements StructuredStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  listHistogramKeys(): Promise<HistogramKeyInfo[] | null> {
    return Promise.reject(new NotBuiltOnPostgresError("histograms"));
  }
  readHistograms(): Promise<StoredHistogram[] | null> {
    return Promise.reject(new NotBuiltOnPostgresError("histograms"));
  }
  listTableVersions(): Promise<TableVersionRecord[] | null> {
    return Promise.reject(new NotBuiltOnPostgresError("table versions"));
  }

  readSeriesPoints(ref: RunRef, key: string): Promise<{ steps: Float64Array; values: Float64Array } | null> {
    return transaction(
      this.pool,
      async (client) => {
        const port = new PgSeriesPort(client, this.where);
        const run = await port.runOf(ref);
        const series = run === null ? null : await port.find(run.pk, key);
        if (series === null || series.count === 0) return null;
        const steps = new Float64Array(series.count);
        const values = new Float64Array(series.count);
        for (const chunk of await port.guarded(ref, () => port.chunks(series, 0, series.count))) {
          steps.set(chunk.xs, chunk.index * CHUNK_POINTS);
          values.set(chunk.ys, chunk.index * CHUNK_POINTS);
        }
        return { steps, values };
      },
      "REPEATABLE READ READ ONLY",
    );
  }

  async putPreset(id: string, body: PresetPutBody, now: number): Promise<StoredPreset> {
    const { rows } = await this.pool.query<PresetRow>(
      `INSERT INTO chart_presets (id, body, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
       RETURNING id, body, created_at, updated_at`,
      [id, JSON.stringify(body), now],
    );
    return preset(rows[0] as PresetRow);
  }

  async getPreset(id: string): Promise<StoredPreset | null> {
    const { rows } = await this.pool.query<PresetRow>(
      "SELECT id, body, created_at, updated_at FROM chart_presets WHERE id = $1",
      [id],
    );
    return rows[0] ? preset(rows[0]) : null;
  }

  async listPresets(): Promise<StoredPreset[]> {
    const { rows } = await this.pool.query<PresetRow>(
      "SELECT id, body, created_at, updated_at FROM chart_presets ORDER BY id",
    );
    return rows.map(preset);
  }

  async deletePreset(id: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM chart_presets WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }
}

function preset(row: PresetRow): StoredPreset {
  return {
    id: row.id,
    body: JSON.parse(row.body) as PresetPutBody,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
