/**
 * Structured values for server tests, written from W&B's shapes (reference § 8.4, § 8.9): a
 * table file's bytes (`{"columns":[…],"data":[…]}`), its `table-file` history value, a
 * histogram value, and a deterministic random source for generating them.
 */
import { createHash } from "node:crypto";
import { apiPaths, stringifyExtended, type RunRef } from "@stepwise/protocol";
import type { TestServer } from "../http-harness.js";
import { uploadFile } from "./file-uploads.js";

/** mulberry32: the same numbers on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bytes of a table file; rows are encoded row by row so a million of them stay cheap. */
export function tableFileBytes(columns: readonly string[], rows: readonly unknown[][]): Buffer {
  const parts: string[] = [`{"columns":${JSON.stringify(columns)},"data":[`];
  for (let i = 0; i < rows.length; i++) parts.push(`${i === 0 ? "" : ","}${stringifyExtended(rows[i])}`);
  parts.push("]}");
  return Buffer.from(parts.join(""));
}

export function tableFileValue(
  key: string,
  step: number,
  bytes: Buffer,
  rows: number,
  columns: number,
): Record<string, unknown> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return {
    _type: "table-file",
    path: tableFilePath(key, step, sha256),
    sha256,
    size: bytes.length,
    ncols: columns,
    nrows: rows,
  };
}

/** W&B's run-local path of a logged table: `media/table/<key>_<step>_<sha20>.table.json`. */
export function tableFilePath(key: string, step: number, sha256: string): string {
  return `media/table/${key}_${step}_${sha256.slice(0, 20)}.table.json`;
}

/** Uploads a table file to the run under the path its history value names. */
export async function uploadTable(
  t: TestServer,
  ref: RunRef,
  value: Record<string, unknown>,
  bytes: Buffer,
): Promise<void> {
  await uploadFile(t.url, ref, { path: value.path as string, bytes });
}

/** Ingests rows (with `_step`) starting at a history offset; throws unless the server took them. */
export async function ingestRows(
  t: TestServer,
  ref: RunRef,
  offset: number,
  rows: Array<Record<string, unknown>>,
  config?: Record<string, unknown>,
): Promise<void> {
  const batch = { history: { offset, rows }, ...(config === undefined ? {} : { run: { config } }) };
  const response = await t.ingest(ref, batch);
  if (response.status !== 200)
    throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
}

export function histogramValue(counts: readonly number[], edges: readonly number[]): Record<string, unknown> {
  return { _type: "histogram", values: [...counts], bins: [...edges] };
}

export const runPath = (ref: RunRef): string => apiPaths.run(ref);
