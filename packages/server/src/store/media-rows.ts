/**
 * The media index and key kinds as rows, whatever the store: what a batch's rich values
 * (ingest/rich-values.ts) become (one row per media item; one tally per key and kind), how a
 * stored row reads back as a StoredMediaItem, which step a query at a step picks, and where a
 * range answer is cut. The SQLite (media-records.ts, key-kind-records.ts) and PostgreSQL
 * (pg-media-writes.ts, pg-media-store.ts) stores only move these rows in and out.
 */
import type { MediaType, StepMatch } from "@stepwise/protocol";
import { mediaEntries, type MediaEntry, type MediaFileEntry } from "../domain/media/media-entries.js";
import { valueKind } from "../domain/media/value-kind.js";
import type { RichValue } from "../ingest/rich-values.js";
import type { StoredMediaItem } from "./media-store.js";

/** A media item as stored: the entry's fields, masks/boxes/extra as `detail` JSON (null when none). */
export interface MediaRow {
  key: string;
  step: number;
  rowIndex: number;
  index: number;
  type: MediaType;
  valueType: string;
  path: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
  width: number | null;
  height: number | null;
  caption: string | null;
  detail: string | null;
}

/** A stored item read back, with the run file joined by path (null columns when none). */
export interface MediaItemRow {
  step: number;
  item_index: number;
  type: string;
  value_type: string;
  path: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
  width: number | null;
  height: number | null;
  caption: string | null;
  detail: string | null;
  file_sha256: string | null;
  file_size: number | null;
}

interface Detail {
  masks?: MediaFileEntry[];
  boxes?: MediaFileEntry[];
  extra?: MediaEntry["extra"];
}

export function mediaRows(values: readonly RichValue[]): MediaRow[] {
  const out: MediaRow[] = [];
  for (const { key, step, rowIndex, value } of values) {
    for (const e of mediaEntries(value)) {
      const detail: Detail = {};
      if (e.masks.length > 0) detail.masks = e.masks;
      if (e.boxes.length > 0) detail.boxes = e.boxes;
      if (Object.keys(e.extra).length > 0) detail.extra = e.extra;
      out.push({
        key,
        step,
        rowIndex,
        index: e.index,
        type: e.type,
        valueType: e.valueType,
        path: e.path,
        sha256: e.sha256,
        size: e.size,
        format: e.format,
        width: e.width,
        height: e.height,
        caption: e.caption,
        detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
      });
    }
  }
  return out;
}

export function mediaItem(runId: string, key: string, r: MediaItemRow): StoredMediaItem {
  const detail = r.detail === null ? {} : (JSON.parse(r.detail) as Detail);
  return {
    runId,
    key,
    step: r.step,
    index: r.item_index,
    type: r.type as MediaType,
    valueType: r.value_type,
    path: r.path,
    sha256: r.sha256,
    size: r.size,
    format: r.format,
    width: r.width,
    height: r.height,
    caption: r.caption,
    masks: detail.masks ?? [],
    boxes: detail.boxes ?? [],
    extra: detail.extra ?? {},
    file: r.file_sha256 === null ? null : { sha256: r.file_sha256, size: r.file_size ?? 0 },
  };
}

/**
 * The step a query at `step` answers, from the key's nearest stored steps at or before and at
 * or after it (null: none that side). A tie takes the earlier step.
 */
export function pickMediaStep(
  step: number,
  match: StepMatch,
  before: number | null,
  after: number | null,
): number | null {
  if (match === "before") return before;
  if (match === "exact") return before === step ? step : null;
  if (match === "after") return after;
  if (before === step) return step;
  if (before === null) return after;
  if (after === null) return before;
  return step - before <= after - step ? before : after;
}

/**
 * A range answer read with `limit + 1` rows in step order, cut at a step boundary so that a
 * step's items are never split over two answers. `oneStep`: a single step holds more items than
 * the limit; read that step alone (limit items) and go on at the step after it.
 */
export function cutMediaRange<R extends { step: number }>(
  rows: R[],
  limit: number,
): { rows: R[]; nextStep: number | null } | { oneStep: number } {
  if (rows.length <= limit) return { rows, nextStep: null };
  const nextStep = (rows[limit] as R).step;
  const kept = rows.slice(0, limit);
  while (kept.length > 0 && (kept[kept.length - 1] as R).step === nextStep) kept.pop();
  return kept.length === 0 ? { oneStep: nextStep } : { rows: kept, nextStep };
}

/** The kinds a key held in a batch: how many values and the first and last step (numbers excluded). */
export interface KeyKindTally {
  key: string;
  kind: string;
  count: number;
  first: number;
  last: number;
}

export function keyKindTallies(values: readonly RichValue[]): KeyKindTally[] {
  const tallies = new Map<string, Map<string, KeyKindTally>>();
  for (const { key, step, value } of values) {
    const kind = valueKind(value);
    if (kind === null) continue;
    let kinds = tallies.get(key);
    if (kinds === undefined) tallies.set(key, (kinds = new Map<string, KeyKindTally>()));
    const tally = kinds.get(kind);
    if (tally === undefined) kinds.set(kind, { key, kind, count: 1, first: step, last: step });
    else {
      tally.count++;
      if (step < tally.first) tally.first = step;
      if (step > tally.last) tally.last = step;
    }
  }
  return [...tallies.values()].flatMap((kinds) => [...kinds.values()]);
}

/** Keys listed at most per answer: a project that logs 100,000 string keys still answers quickly. */
export const MAX_LISTED_KEYS = 10_000;
