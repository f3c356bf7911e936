/**
 * Histograms of history, one row per (run, key, step) in `histograms` (schema 9): the bin count,
 * the first and last edge, the edges as Float64 only when uneven, and the counts as Uint32 when
 * they are all whole numbers below 2³² (the usual case: 4 bytes a bin), else Float64 — the
 * BLOB's length says which. A rich values extension (rich-value-hook.ts) fills it inside the
 * batch's transaction; a histogram logged again at the same step replaces the earlier one.
 */
import type Database from "better-sqlite3";
import { evenEdges, hasEvenEdges, readHistogramValue } from "../../domain/histograms/histogram-value.js";
import type { HistogramKeyInfo, StoredHistogram } from "../structured-store.js";
import { fromBlob, toBlob } from "./float-blob.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

interface HistogramRow {
  step: number;
  bins: number;
  lo: number;
  hi: number;
  edges: Buffer | null;
  counts: Buffer;
}

export class HistogramRecords implements RichValueExtension {
  private readonly insert: Database.Statement<
    [number, string, number, number, number, number, Buffer | null, Buffer]
  >;
  private readonly keys: Database.Statement<
    [number],
    { key: string; n: number; first: number; last: number }
  >;
  private readonly range: Database.Statement<[number, string, number, number], HistogramRow>;
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
    for (const { key, step, value } of values) {
      const histogram = readHistogramValue(value);
      if (histogram === null) continue;
      const { edges, counts } = histogram;
      const n = counts.length;
      this.insert.run(
        runPk,
        key,
        step,
        n,
        edges[0] as number,
        edges[n] as number,
        hasEvenEdges(edges) ? null : toBlob(edges),
        encodeCounts(counts),
      );
    }
  }

  listKeys(runPk: number): HistogramKeyInfo[] {
    return this.keys
      .all(runPk)
      .map((r) => ({ key: r.key, count: r.n, firstStep: r.first, lastStep: r.last }));
  }

  /** The key's histograms with minStep ≤ step ≤ maxStep, in step order. */
  read(runPk: number, key: string, minStep: number, maxStep: number): StoredHistogram[] {
    const out: StoredHistogram[] = [];
    for (const row of this.range.iterate(runPk, key, minStep, maxStep))
      out.push({
        step: row.step,
        edges: row.edges === null ? evenEdges(row.lo, row.hi, row.bins) : fromBlob(row.edges),
        counts: decodeCounts(row.counts, row.bins),
      });
    return out;
  }
}

function encodeCounts(counts: Float64Array): Buffer {
  for (const c of counts) if (!Number.isInteger(c) || c >= 2 ** 32) return toBlob(counts);
  const whole = Uint32Array.from(counts);
  return Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength);
}

function decodeCounts(blob: Buffer, bins: number): Float64Array {
  if (blob.byteLength === bins * 8) return Float64Array.from(fromBlob(blob));
  const whole = new Uint32Array(new Uint8Array(blob).buffer, 0, bins);
  return Float64Array.from(whole);
}
