/**
 * Histograms of history, one row per (run, key, step) in `histograms` (schema 9), encoded as
 * store/structured-rows.ts says (shared with PostgreSQL). A rich values extension (rich-value-hook.ts) fills it inside the
 * batch's transaction; a histogram logged again at the same step replaces the earlier one.
 */
import type Database from "better-sqlite3";
import type { HistogramKeyInfo, StoredHistogram } from "../structured-store.js";
import { histogramRows, storedHistogram, type HistogramRow } from "../structured-rows.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

export class HistogramRecords implements RichValueExtension {
  private readonly insert: Database.Statement<
    [number, string, number, number, number, number, Buffer | null, Buffer]
  >;
  private readonly keys: Database.Statement<
    [number],
    { key: string; n: number; first: number; last: number }
  >;
  private readonly range: Database.Statement<[number, string, number, number], Omit<HistogramRow, "key">>;
  private readonly clear: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO histograms (run_pk, key, step, bins, lo, hi, edges, counts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.keys = db.prepare(
      `SELECT key, COUNT(*) AS n, MIN(step) AS first, MAX(step) AS last
       FROM histograms WHERE run_pk = ? GROUP BY key ORDER BY key`,
    );
    this.range = db.prepare(
      `SELECT step, bins, lo, hi, edges, counts FROM histograms
       WHERE run_pk = ? AND key = ? AND step >= ? AND step <= ? ORDER BY step`,
    );
    this.clear = db.prepare("DELETE FROM histograms WHERE run_pk = ?");
  }

  clearRun(runPk: number): void {
    this.clear.run(runPk);
  }

  apply(runPk: number, values: readonly RichValue[]): void {
    for (const r of histogramRows(values))
      this.insert.run(runPk, r.key, r.step, r.bins, r.lo, r.hi, r.edges, r.counts);
  }

  listKeys(runPk: number): HistogramKeyInfo[] {
    return this.keys
      .all(runPk)
      .map((r) => ({ key: r.key, count: r.n, firstStep: r.first, lastStep: r.last }));
  }

  /** The key's histograms with minStep ≤ step ≤ maxStep, in step order. */
  read(runPk: number, key: string, minStep: number, maxStep: number): StoredHistogram[] {
    const out: StoredHistogram[] = [];
    for (const row of this.range.iterate(runPk, key, minStep, maxStep)) out.push(storedHistogram(row));
    return out;
  }
}
