/**
 * How a history row is split for storage: every numeric leaf becomes one point of a column-wise
 * series named by its dotted path (`train.loss`, a literal dot written `\.`; `/` stays as is),
 * while the row itself is kept whole as extended-JSON text. Objects with a `_type` (media,
 * histograms, tables) are values, not namespaces; strings, booleans, arrays and nulls are kept
 * in the row only. `_step` is the x of every point, never a series of its own.
 */
import { stringifyExtended, appendDottedSegment } from "@stepwise/protocol";

export type PointSink = (key: string, value: number) => void;

/**
 * Receives every leaf that is not a number (strings, booleans, arrays, and objects with a
 * `_type`: media, histograms, tables), named by the same dotted path as a series; nulls are
 * skipped. The rich values hook (store/sqlite/rich-value-hook.ts) indexes them.
 */
export type RichValueSink = (key: string, value: unknown) => void;

/**
 * The row's step: `_step` when it is a non-negative safe integer, else one past the previous
 * row's step (0 for the first), so a row without a usable `_step` still sorts after its elder.
 */
export function rowStep(row: Record<string, unknown>, previousStep: number | null): number {
  const step = row._step;
  if (typeof step === "number" && Number.isSafeInteger(step) && step >= 0) return step;
  return previousStep === null ? 0 : previousStep + 1;
}

/**
 * Calls `sink` for every numeric leaf (NaN and ±Infinity included) and returns the row's text:
 * `text` when the row arrived as text (it was parsed from it, so it is kept verbatim), else the
 * row encoded. Plain `JSON.stringify` is used unless the row holds a value it would change
 * (non-finite numbers, bigints), which then takes the extended encoder: about 3× faster.
 */
export function splitHistoryRow(
  row: Record<string, unknown>,
  sink: PointSink,
  text?: string,
  rich?: RichValueSink,
): string {
  const needsExtended = visit(row, "", sink, true, rich);
  if (text !== undefined) return text;
  return needsExtended ? stringifyExtended(row) : JSON.stringify(row);
}

function visit(
  obj: Record<string, unknown>,
  prefix: string,
  sink: PointSink,
  top: boolean,
  rich: RichValueSink | undefined,
): boolean {
  let needsExtended = false;
  for (const key in obj) {
    const value = obj[key];
    if (typeof value === "number") {
      if (!Number.isFinite(value)) needsExtended = true;
      if (!(top && key === "_step")) sink(appendDottedSegment(prefix, key), value);
    } else if (typeof value === "object" && value !== null) {
      if (Array.isArray(value) || "_type" in value) {
        if (hasExtendedValue(value)) needsExtended = true;
        rich?.(appendDottedSegment(prefix, key), value);
      } else if (
        visit(value as Record<string, unknown>, appendDottedSegment(prefix, key), sink, false, rich)
      ) {
        needsExtended = true;
      }
    } else if (typeof value === "bigint") {
      needsExtended = true;
    } else if (rich !== undefined && (typeof value === "string" || typeof value === "boolean")) {
      rich(appendDottedSegment(prefix, key), value);
    }
  }
  return needsExtended;
}

function hasExtendedValue(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (typeof value === "bigint") return true;
  if (typeof value !== "object" || value === null) return false;
  for (const member of Object.values(value)) if (hasExtendedValue(member)) return true;
  return false;
}
