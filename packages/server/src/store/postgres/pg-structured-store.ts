/**
 * The structured part of the PostgreSQL store: histograms and table versions (filled from history
 * rows at ingest, pg-media-writes.ts; read back by the shared rules of store/structured-rows.ts),
 * chart presets, and a numeric series' points (read through the series port, as charts read
 * them). An unknown run answers null where a run is named.
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
import { storedHistogram, type HistogramRow } from "../structured-rows.js";
import { transaction } from "./pg-database.js";
import { runPk } from "./pg-run-table.js";
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

  async listHistogramKeys(ref: RunRef): Promise<HistogramKeyInfo[] | null> {
    const run = await runPk(this.pool, ref);
    if (run === null) return null;
    const { rows } = await this.pool.query<HistogramKeyInfo>(
      `SELECT key, COUNT(*) AS count, MIN(step) AS "firstStep", MAX(step) AS "lastStep"
       FROM histograms WHERE run_pk = $1 GROUP BY key ORDER BY key`,
      [run.pk],
    );
    return rows;
  }

  async readHistograms(
    ref: RunRef,
    key: string,
    minStep: number,
    maxStep: number,
  ): Promise<StoredHistogram[] | null> {
    const run = await runPk(this.pool, ref);
    if (run === null) return null;
    const { rows } = await this.pool.query<Omit<HistogramRow, "key">>(
      `SELECT step, bins, lo, hi, edges, counts FROM histograms
       WHERE run_pk = $1 AND key = $2 AND step >= $3 AND step <= $4 ORDER BY step`,
      [run.pk, key, bound(Math.ceil(minStep)), bound(Math.floor(maxStep))],
    );
    return rows.map(storedHistogram);
  }

  async listTableVersions(ref: RunRef, key?: string): Promise<TableVersionRecord[] | null> {
    const run = await runPk(this.pool, ref);
    if (run === null) return null;
    const { rows } = await this.pool.query<TableVersionRecord>(
      `SELECT key, step, path, sha256, nrows AS rows, ncols AS columns FROM table_versions
       WHERE run_pk = $1 AND ($2::text IS NULL OR key = $2) ORDER BY key, step`,
      [run.pk, key ?? null],
    );
    return rows;
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

/** A whole step bound as a bigint parameter: ±Infinity (and beyond) clamp to the largest safe integers. */
function bound(step: number): number {
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, step));
}

function preset(row: PresetRow): StoredPreset {
  return {
    id: row.id,
    body: JSON.parse(row.body) as PresetPutBody,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
