/**
 * Validates and copies the `data` of one `log()` call. Flat scalar values (the common case)
 * take a fast path; everything else goes through `normalizeValue`. Throws InvalidDataError
 * naming the key; the caller keeps nothing of a call that throws.
 */
import { InvalidDataError, MAX_KEY_LENGTH } from "@stepwise/protocol";
import { checkKey, normalizeValue, OMIT, type NormalizeOptions } from "../values/normalize-value.js";
import { isPlainObject } from "../values/deep-merge.js";
import { checkMediaFilesPerCall, PendingMedia } from "../media/pending-media.js";
import { CHART_TABLE, chartTableKey, isChartValue } from "../data-types/chart-marker.js";

const LOG_OPTIONS: NormalizeOptions = { context: "log()", nanToNull: false };

export function normalizeLogData(data: unknown): Record<string, unknown> {
  if (!isPlainObject(data)) {
    const got = data === null ? "null" : Array.isArray(data) ? "an array" : typeof data;
    throw new InvalidDataError(
      `log(): data must be a plain object of key → value, got ${got}. Example: run.log({ loss: 0.1 })`,
    );
  }
  const out: Record<string, unknown> = {};
  const mediaFilesBefore = PendingMedia.files;
  for (const key in data) {
    // A length comparison and a NUL scan per key: the limits table (protocol, `keyProblem`)
    // without a full check on the scalar path.
    if (key.length === 0 || key.length > MAX_KEY_LENGTH || key.includes("\u0000"))
      checkKey(key, [], LOG_OPTIONS);
    const value = data[key];
    const type = typeof value;
    if (type === "number" || type === "string" || type === "boolean") {
      out[key] = value;
      continue;
    }
    if (isChartValue(value)) {
      // W&B's custom charts: the chart's table goes under `<key>_table` (chart-marker.ts).
      const tableKey = checkKey(chartTableKey(key), [], LOG_OPTIONS);
      out[tableKey] = normalizeValue(value[CHART_TABLE](), [tableKey], LOG_OPTIONS);
      continue;
    }
    const normalized = normalizeValue(value, [key], LOG_OPTIONS);
    if (normalized !== OMIT) out[key] = normalized;
  }
  if (PendingMedia.files !== mediaFilesBefore) checkMediaFilesPerCall(mediaFilesBefore, "log()");
  return out;
}

/** Checks `log()`'s options: step a non-negative safe integer, commit a boolean. */
export function checkLogOptions(options: { step?: unknown; commit?: unknown } | undefined): void {
  if (options === undefined) return;
  const { step, commit } = options;
  if (step !== undefined && !(typeof step === "number" && Number.isSafeInteger(step) && step >= 0)) {
    throw new InvalidDataError(
      `log(): option "step" must be a non-negative integer, got ${JSON.stringify(step) ?? typeof step}`,
    );
  }
  if (commit !== undefined && typeof commit !== "boolean") {
    throw new InvalidDataError(
      `log(): option "commit" must be true or false, got ${JSON.stringify(commit) ?? typeof commit}`,
    );
  }
}
