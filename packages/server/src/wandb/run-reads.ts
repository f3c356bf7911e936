/**
 * What `wandb.Api()` reads from a run, over Stepwise's store: history lines (`run.history()`,
 * `scan_history()`'s `HistoryPage`), sampled history with keys (`sampledHistory`, used by
 * `history(keys=…)` and `scan_history(keys=…)`) and the run's files with download URLs.
 * `history`'s step ranges are [minStep, maxStep) (sampled history's: sampledRange); a `samples` smaller than the rows in range keeps that
 * many, evenly spread, the first and last always included.
 */
import { parseExtended, type RunRef } from "@stepwise/protocol";
import type { Store, StoredFile } from "../store/store.js";
import { WandbInputError } from "./wandb-errors.js";

export interface HistoryArgs {
  samples?: number | null;
  minStep?: number | null;
  maxStep?: number | null;
}

/** W&B's default `samples` for `run.history()`. */
const DEFAULT_SAMPLES = 500;

/** The stored lines (extended-JSON text, as logged) with minStep ≤ _step < maxStep, sampled. */
export async function historyLines(store: Store, ref: RunRef, args: HistoryArgs): Promise<string[]> {
  const lines: string[] = [];
  for await (const page of store.scanHistory(ref, stepRange(args))) lines.push(...page);
  return sampled(lines, args.samples ?? DEFAULT_SAMPLES);
}

/** One list per spec (`{"keys": [...], "samples"?, "minStep"?, "maxStep"?}`): rows with every key, only those keys. */
export async function sampledHistory(
  store: Store,
  ref: RunRef,
  specs: readonly string[],
): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const text of specs) {
    const spec = specOf(text);
    const rows: Array<Record<string, unknown>> = [];
    for await (const page of store.scanHistory(ref, sampledRange(spec)))
      for (const line of page) {
        const row = parseExtended(line) as Record<string, unknown>;
        if (!spec.keys.every((key) => key in row)) continue;
        rows.push(Object.fromEntries(spec.keys.map((key) => [key, finiteOrNull(row[key])])));
      }
    out.push(sampled(rows, spec.samples ?? DEFAULT_SAMPLES));
  }
  return out;
}

function stepRange(args: HistoryArgs): { minStep?: number; maxStep?: number } {
  return {
    ...(typeof args.minStep === "number" ? { minStep: args.minStep } : {}),
    ...(typeof args.maxStep === "number" ? { maxStep: args.maxStep - 1 } : {}),
  };
}

/**
 * W&B's server reads a spec's maxStep as inclusive, and wandb-core (0.27+) pages that way
 * ([min, min + samples - 1]). Python clients before it page half-open windows of exactly `samples`
 * steps ([min, min + samples)), which W&B answers with the boundary row twice and one row sampled
 * away; such a window is read as the client meant it.
 */
function sampledRange(spec: HistoryArgs): { minStep?: number; maxStep?: number } {
  const { minStep, maxStep, samples } = spec;
  if (typeof maxStep !== "number") return stepRange(spec);
  const halfOpen =
    typeof minStep === "number" && typeof samples === "number" && maxStep - minStep === samples;
  return stepRange({ minStep: minStep ?? null, maxStep: halfOpen ? maxStep : maxStep + 1 });
}

function sampled<T>(items: T[], samples: number): T[] {
  if (samples <= 0) return [];
  if (items.length <= samples) return items;
  if (samples === 1) return items.slice(-1);
  const out: T[] = [];
  for (let i = 0; i < samples; i++)
    out.push(items[Math.round((i * (items.length - 1)) / (samples - 1))] as T);
  return out;
}

function specOf(text: string): HistoryArgs & { keys: string[] } {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    throw new WandbInputError("a sampledHistory spec must be JSON");
  }
  const keys = (spec as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string"))
    throw new WandbInputError('a sampledHistory spec needs "keys": a list of strings');
  const s = spec as Record<string, unknown>;
  const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
  return { keys, samples: num(s["samples"]), minStep: num(s["minStep"]), maxStep: num(s["maxStep"]) };
}

/** The `JSON` scalar holds plain JSON: NaN and ±Infinity read as null there (history lines keep them). */
function finiteOrNull(value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

export interface FilesArgs {
  names?: ReadonlyArray<string | null> | null;
  after?: string | null;
  first?: number | null;
  pattern?: string | null;
}

/** W&B's `files` connection: a page of the run's files, the cursor being the last path. */
export async function filesConnection(store: Store, ref: RunRef, origin: string, args: FilesArgs) {
  let files = await store.listFiles(ref);
  const names = (args.names ?? []).filter((name): name is string => typeof name === "string");
  if (names.length > 0) files = files.filter((file) => names.includes(file.path));
  else if (typeof args.pattern === "string" && args.pattern !== "") {
    const like = likeRegExp(args.pattern);
    files = files.filter((file) => like.test(file.path));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const after = args.after;
  if (typeof after === "string" && after !== "") files = files.filter((file) => file.path > after);
  const first = Math.max(0, args.first ?? 50);
  const page = files.slice(0, first);
  return {
    edges: page.map((file) => ({ node: fileNode(ref, origin, file), cursor: file.path })),
    pageInfo: { endCursor: page[page.length - 1]?.path ?? null, hasNextPage: files.length > first },
    uploadHeaders: [],
  };
}

function fileNode(ref: RunRef, origin: string, file: StoredFile) {
  const url =
    `${origin}/api/v1/runs/${[ref.entity, ref.project, ref.runId].map(encodeURIComponent).join("/")}` +
    `/files/${file.path.split("/").map(encodeURIComponent).join("/")}`;
  return {
    id: `${ref.runId}:${file.path}`,
    name: file.path,
    url,
    directUrl: url,
    sizeBytes: file.size,
    mimetype: file.contentType,
    updatedAt: new Date(file.updatedAt * 1000).toISOString(),
    // W&B's md5 is base64; Stepwise keeps SHA-256, so there is none to give.
    md5: null,
    uploadUrl: null,
  };
}

/** W&B's `pattern` is SQL LIKE (`%`, `_`). */
function likeRegExp(pattern: string): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "s");
}
