/**
 * Turns `history.lines` (each row's extended-JSON text, as W&B's file_stream sends them) into
 * parsed rows plus the texts the store keeps verbatim, so no row is encoded twice. A line that
 * is not one JSON object on one line is refused with a 400 naming it.
 */
import { isHistoryRow, parseExtended, stringifyExtended, type IngestBatch } from "@stepwise/protocol";
import type { StoreBatch } from "../store/store.js";
import { checkHistoryRows, checkValues } from "./batch-limits.js";
import { InputError } from "./input-error.js";

export function toStoreBatch(batch: IngestBatch): StoreBatch {
  const { history, ...rest } = batch;
  if (history === undefined) return rest;
  if (history.lines === undefined) {
    const given = history.rows ?? [];
    checkHistoryRows(given, "body.history.rows");
    return { ...rest, history: { offset: history.offset, rows: given } };
  }
  const rows: Array<Record<string, unknown>> = [];
  const texts: string[] = [];
  history.lines.forEach((line, i) => {
    const field = `body.history.lines[${i}]`;
    let row: unknown;
    try {
      row = parseExtended(line);
    } catch {
      throw new InputError([{ field, message: "is not valid JSON" }]);
    }
    if (!isHistoryRow(row))
      throw new InputError([{ field, message: "must be a JSON object with keys of 1–1024 characters" }]);
    checkValues(row, field);
    rows.push(row);
    // The stored history is newline-delimited: a line with a raw line break is stored re-encoded.
    texts.push(line.includes("\n") || line.includes("\r") ? stringifyExtended(row) : line);
  });
  return { ...rest, history: { offset: history.offset, rows, texts } };
}
