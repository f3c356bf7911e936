/**
 * Histograms and table versions as rows, whatever the store: what a batch's rich values
 * (ingest/rich-values.ts) become, and how a stored histogram reads back. A histogram keeps its
 * bin count, first and last edge, the edges as Float64 only when uneven, and the counts as
 * Uint32 when they are all whole numbers below 2³² (the usual case: 4 bytes a bin), else
 * Float64 — the bytes' length says which. Used by the SQLite (histogram-records.ts,
 * table-version-records.ts) and PostgreSQL (pg-media-writes.ts, pg-structured-store.ts) stores.
 * A value logged again at the same (key, step) replaces the earlier one: the last row wins.
 */
import { evenEdges, hasEvenEdges, readHistogramValue } from "../domain/histograms/histogram-value.js";
import type { RichValue } from "../ingest/rich-values.js";
import { fromBlob, toBlob } from "./sqlite/float-blob.js";
import type { StoredHistogram, TableVersionRecord } from "./structured-store.js";

export interface HistogramRow {
  key: string;
  step: number;
  bins: number;
  lo: number;
  hi: number;
  edges: Buffer | null;
  counts: Buffer;
}

export function histogramRows(values: readonly RichValue[]): HistogramRow[] {
  const out: HistogramRow[] = [];
  for (const { key, step, value } of values) {
    const histogram = readHistogramValue(value);
    if (histogram === null) continue;
    const { edges, counts } = histogram;
    const n = counts.length;
    out.push({
      key,
      step,
      bins: n,
      lo: edges[0] as number,
      hi: edges[n] as number,
      edges: hasEvenEdges(edges) ? null : toBlob(edges),
      counts: encodeCounts(counts),
    });
  }
  return out;
}

/** A stored histogram read back (its row's columns). */
export function storedHistogram(row: Omit<HistogramRow, "key">): StoredHistogram {
  return {
    step: row.step,
    edges: row.edges === null ? evenEdges(row.lo, row.hi, row.bins) : fromBlob(row.edges),
    counts: decodeCounts(row.counts, row.bins),
  };
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

const TABLE_TYPES = new Set(["table-file", "incremental-table-file"]);

/** The `table-file` values (W&B's shape: the run file holding the table, its sha256, rows, columns). */
export function tableVersionRows(values: readonly RichValue[]): TableVersionRecord[] {
  const out: TableVersionRecord[] = [];
  for (const { key, step, value } of values) {
    if (typeof value !== "object" || value === null) continue;
    const v = value as Record<string, unknown>;
    if (typeof v._type !== "string" || !TABLE_TYPES.has(v._type)) continue;
    if (typeof v.path !== "string" || v.path.length === 0) continue;
    out.push({
      key,
      step,
      path: v.path,
      sha256: typeof v.sha256 === "string" ? v.sha256 : null,
      rows: count(v.nrows),
      columns: count(v.ncols),
    });
  }
  return out;
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
