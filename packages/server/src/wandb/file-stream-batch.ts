/**
 * A W&B file_stream request body (wire protocol §4.1) as Stepwise ingest batches, the same ones
 * its own SDK sends: `wandb-history.jsonl` → history lines (each line's text kept verbatim, NaN
 * and ±Infinity included), `wandb-events.jsonl` → events, `output.log` → console (same line
 * format), `wandb-summary.json` → the whole summary, `preempting`, `complete` + `exitcode` → exit.
 *
 * Nothing a client sent is refused here, because any refusal would end its stream for good and
 * shift every later offset: a history or events line Stepwise cannot keep as it is (not a JSON
 * object, a key over the limits) is stored as a row holding only its `_step`, `_runtime` and
 * `_timestamp`; an over-long console line is cut; a summary that cannot be kept is left out.
 * Each such change is reported in `dropped`, for the server log.
 */
import { isHistoryRow, LIMITS, parseExtended, valuesProblem } from "@stepwise/protocol";
import type { StoreBatch } from "../store/store.js";

type Json = Record<string, unknown>;

export interface FileStreamBatches {
  /** The streams and `preempting`: applied first, offsets checked (a re-send changes nothing). */
  streams: StoreBatch;
  /** The summary and the exit, applied after the streams (null when the request has neither). */
  last: StoreBatch | null;
  /** What could not be kept as sent, one line each. */
  dropped: string[];
}

interface FilePart {
  offset: number;
  content: string[];
}

export function fileStreamBatches(body: unknown, now: number): FileStreamBatches {
  const request = isObject(body) ? body : {};
  const files = isObject(request["files"]) ? request["files"] : {};
  const dropped: string[] = [];
  const streams: StoreBatch = {};

  const history = filePart(files["wandb-history.jsonl"]);
  if (history !== null) {
    const rows: Json[] = [];
    const texts: string[] = [];
    history.content.forEach((line, i) => {
      const row = rowOf(line);
      if (row !== null && line.length <= LIMITS.historyLineLength && valuesProblem(row) === null) {
        rows.push(row);
        texts.push(line.includes("\n") || line.includes("\r") ? JSON.stringify(row) : line);
        return;
      }
      const kept = timesOf(row);
      dropped.push(
        `history line ${history.offset + i}: not a row Stepwise can keep; stored as ${JSON.stringify(kept)}`,
      );
      rows.push(kept);
      texts.push(JSON.stringify(kept));
    });
    streams.history = { offset: history.offset, rows, texts };
  }

  const events = filePart(files["wandb-events.jsonl"]);
  if (events !== null)
    streams.events = {
      offset: events.offset,
      lines: events.content.map((line, i) => {
        const row = rowOf(line);
        if (row !== null && valuesProblem(row) === null) return row;
        dropped.push(
          `events line ${events.offset + i}: not a sample Stepwise can keep; stored without its values`,
        );
        return timesOf(row);
      }),
    };

  const console = filePart(files["output.log"]);
  if (console !== null)
    streams.console = {
      offset: console.offset,
      lines: console.content.map((line) =>
        line.length > LIMITS.consoleLineLength ? line.slice(0, LIMITS.consoleLineLength) : line,
      ),
    };

  if (request["preempting"] === true) streams.preempting = true;

  const last: StoreBatch = {};
  const summaryPart = filePart(files["wandb-summary.json"]);
  const summaryText = summaryPart?.content[summaryPart.content.length - 1];
  const summary = summaryText === undefined ? null : rowOf(summaryText);
  if (summary !== null && valuesProblem(summary) === null) last.summary = summary;
  else if (summaryText !== undefined)
    dropped.push("summary: not an object Stepwise can keep; the stored summary stays");

  if (request["complete"] === true) {
    const code = request["exitcode"];
    last.exit = {
      exitCode: typeof code === "number" && Number.isInteger(code) ? code : 0,
      runtime: runtimeOf(summary, now),
    };
  }
  return { streams, last: last.summary === undefined && last.exit === undefined ? null : last, dropped };
}

function filePart(value: unknown): FilePart | null {
  if (!isObject(value) || !Array.isArray(value["content"])) return null;
  const offset = value["offset"];
  return {
    offset: typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0 ? offset : 0,
    content: value["content"].map((line) => (typeof line === "string" ? line : JSON.stringify(line))),
  };
}

function rowOf(line: string): Json | null {
  try {
    const value = parseExtended(line);
    return isHistoryRow(value) ? value : null;
  } catch {
    return null;
  }
}

/** What a row that cannot be kept still says: its place in time. */
function timesOf(row: Json | null): Json {
  const kept: Json = {};
  for (const key of ["_step", "_runtime", "_timestamp"])
    if (typeof row?.[key] === "number" && Number.isFinite(row[key])) kept[key] = row[key];
  return kept;
}

/**
 * The run's runtime at its exit, from the summary W&B sends with it (`_wandb.runtime`, else
 * `_runtime`); without one, "until now" (the store ends the run at min(now, start + runtime)).
 */
function runtimeOf(summary: Json | null, now: number): number {
  const wandb = summary?.["_wandb"];
  const candidates = [isObject(wandb) ? wandb["runtime"] : undefined, summary?.["_runtime"]];
  for (const value of candidates)
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  return now;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
