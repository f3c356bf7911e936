/**
 * System metrics (GET …/system) as chart lines: one chart per `system.*` key, one line per run,
 * against wall time (`_timestamp`) or relative time (`_runtime`). Keys are ordered as W&B's
 * System section reads: CPU, memory, disk, network, GPUs, then the rest; per-core CPU keys go in
 * a group of their own (a 64-core machine would otherwise bury the rest).
 */
import type { SystemMetricsResponse } from "@stepwise/protocol";
import type { RunLine } from "./series-alignment.js";

export type SystemAxis = "_runtime" | "_timestamp";

const ORDER = [
  /^system\.cpu$/,
  /^system\.proc\.cpu\./,
  /^system\.memory/,
  /^system\.proc\.memory\./,
  /^system\.disk/,
  /^system\.proc\.disk\./,
  /^system\.network\./,
  /^system\.gpu\.\d+\.gpu$/,
  /^system\.gpu\./,
  /^system\.proc\.eventLoop/,
];

export const PER_CORE = /^system\.cpu\.\d+\.cpu_percent$/;

function rank(key: string): number {
  const at = ORDER.findIndex((pattern) => pattern.test(key));
  return at === -1 ? ORDER.length : at;
}

/** Keys of all runs, in display order; per-core CPU keys apart, by core number. */
export function systemKeys(responses: ReadonlyArray<SystemMetricsResponse | undefined>): {
  main: string[];
  cores: string[];
} {
  const all = new Set<string>();
  for (const response of responses) for (const key of response?.keys ?? []) all.add(key);
  const keys = [...all];
  const cores = keys.filter((key) => PER_CORE.test(key));
  cores.sort((a, b) => coreNumber(a) - coreNumber(b));
  const main = keys.filter((key) => !PER_CORE.test(key));
  main.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true }));
  return { main, cores };
}

function coreNumber(key: string): number {
  return Number(key.split(".")[2]);
}

/** One run's line of `key`: its samples that hold the key, in x order (an x seen twice keeps the later). */
export function systemLine(
  runId: string,
  response: SystemMetricsResponse,
  key: string,
  axis: SystemAxis,
): RunLine {
  const points = new Map<number, number>();
  for (const sample of response.samples) {
    const x = sample[axis];
    const y = sample[key];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)) points.set(x, y);
  }
  const x = [...points.keys()].sort((a, b) => a - b);
  const y = x.map((v) => points.get(v) as number);
  return { runId, x, y, min: y, max: y, smoothed: null, exact: true };
}
