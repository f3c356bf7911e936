/**
 * A batch's new history rows, walked once: each row's step (domain/history-row.ts), its numeric
 * leaves gathered per series (x = the row's step), its other leaves as rich values, and the row
 * itself handed to the store as it keeps rows (RunWrites.historyRows), and its columns noted
 * for a store that keeps them (history-columns.ts). Returns the run's last step after the rows.
 */
import type { PackedRows } from "@stepwise/protocol";
import { PackedRowPoints } from "../domain/packed-row-points.js";
import { rowStep, splitHistoryRow } from "../domain/history-row.js";
import type { StreamPlan } from "../domain/stream-offsets.js";
import type { StoreBatch } from "../store/store.js";
import type { HistoryColumnSet } from "../store/history-columns.js";
import { historyColumnsOf, noteTextRow, PackedColumnNotes, saveHistoryColumns } from "./history-columns.js";
import type { RunWrites } from "./ingest-port.js";
import { PointBuffer } from "./point-buffer.js";
import { RichValueCollector } from "./rich-values.js";

type ApplyPlan = Extract<StreamPlan, { kind: "apply" }>;

export function writeHistory(
  writes: RunWrites,
  lastStep: number | null,
  history: NonNullable<StoreBatch["history"]>,
  plan: ApplyPlan,
): number | null {
  const points = new PointBuffer();
  const rich = new RichValueCollector();
  const columns = historyColumnsOf(writes, plan.from);
  const last =
    "packed" in history
      ? packedRows(writes, lastStep, history.packed, plan, points, rich, columns)
      : jsonRows(writes, lastStep, history, plan, points, rich, columns);
  points.flush((key, xs, ys) => writes.seriesPoints(key, xs, ys));
  if (rich.values.length > 0) writes.richValues(rich.values);
  saveHistoryColumns(writes, columns);
  return last;
}

function jsonRows(
  writes: RunWrites,
  lastStep: number | null,
  history: Exclude<NonNullable<StoreBatch["history"]>, { packed: PackedRows }>,
  plan: ApplyPlan,
  points: PointBuffer,
  rich: RichValueCollector,
  columns: HistoryColumnSet | null,
): number | null {
  const { rows, texts } = history;
  const out = writes.historyRows();
  const sink = points.sink;
  let previous = lastStep;
  let last = lastStep;
  for (let i = plan.skip, at = plan.from; i < rows.length; i++, at++) {
    const row = rows[i] as Record<string, unknown>;
    const step = rowStep(row, previous);
    points.setStep(step);
    rich.at(step, at);
    previous = step;
    if (last === null || step > last) last = step;
    const text = splitHistoryRow(row, sink, texts?.[i], rich.sink);
    if (columns !== null) noteTextRow(columns, text);
    out.row(at, step, text);
  }
  out.end();
  return last;
}

/** As jsonRows, for packed rows: read in place, handed on packed. */
function packedRows(
  writes: RunWrites,
  lastStep: number | null,
  packed: PackedRows,
  plan: ApplyPlan,
  points: PointBuffer,
  rich: RichValueCollector,
  columns: HistoryColumnSet | null,
): number | null {
  const out = writes.packedHistoryRows(packed);
  const notes = columns === null ? null : new PackedColumnNotes(columns, packed);
  const splitter = new PackedRowPoints(packed, points);
  const sink = points.sink;
  const onStep = (step: number): void => {
    points.setStep(step);
    rich.setStep(step);
  };
  let previous = lastStep;
  let last = lastStep;
  const count = packed.rowStarts.length;
  for (let i = plan.skip, at = plan.from; i < count; i++, at++) {
    rich.setRow(at);
    previous = splitter.split(i, previous, onStep, sink, rich.sink);
    if (last === null || previous > last) last = previous;
    notes?.row(i, at);
    out.packedRow(i, at, previous);
  }
  out.end();
  return last;
}
