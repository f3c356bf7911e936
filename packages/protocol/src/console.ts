/**
 * Console capture: what a run's process wrote to stdout and stderr, one item of the ingest
 * batch's `console` stream per line. A line travels as W&B's output.log lines do in its
 * file_stream: `<ISO time> <text>` for stdout, `ERROR <ISO time> <text>` for stderr. A line
 * may be sent again at its old offset (a carriage-return progress bar: its last state replaces
 * the earlier ones). The rules live here once: the SDK formats, the server and the UI parse.
 */
import { z } from "zod";

export const CONSOLE_STREAMS = ["stdout", "stderr"] as const;
export type ConsoleStream = (typeof CONSOLE_STREAMS)[number];

export const CONSOLE_LIMITS = {
  /** A line longer than this is cut (with a note) before it is stored. */
  lineChars: 16_384,
  /** Bytes of console output kept per run by default; the rest is counted and noted, not stored. */
  runBytes: 32 * 1024 * 1024,
  /** Lines one `GET …/console` answers at most. */
  pageLines: 5_000,
} as const;

/** The run log's record: lines in order; `rewrite` says the first replaces the run's last line (a `\r` line finished). */
export const consoleRecordSchema = z.object({
  t: z.literal("console"),
  lines: z.array(z.string()),
  rewrite: z.boolean().optional(),
});
export type ConsoleRecord = z.infer<typeof consoleRecordSchema>;

export interface ConsoleLine {
  /** Unix milliseconds. */
  time: number;
  stream: ConsoleStream;
  text: string;
}

const STDERR_PREFIX = "ERROR ";

export function formatConsoleLine(line: ConsoleLine): string {
  const stamp = new Date(line.time).toISOString();
  return line.stream === "stderr" ? `${STDERR_PREFIX}${stamp} ${line.text}` : `${stamp} ${line.text}`;
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?) /;

/** A stored line back as time, stream and text; a line without a time stamp is stdout text at time 0. */
export function parseConsoleLine(raw: string): ConsoleLine {
  let stream: ConsoleStream = "stdout";
  let rest = raw;
  if (rest.startsWith(STDERR_PREFIX) && STAMP.test(rest.slice(STDERR_PREFIX.length))) {
    stream = "stderr";
    rest = rest.slice(STDERR_PREFIX.length);
  }
  const match = STAMP.exec(rest);
  if (match === null) return { time: 0, stream, text: raw };
  const stamp = match[1] as string;
  const time = Date.parse(stamp.endsWith("Z") ? stamp : `${stamp}Z`);
  return { time: Number.isFinite(time) ? time : 0, stream, text: rest.slice(match[0].length) };
}

/** `GET /runs/:entity/:project/:runId/console` query. */
export const consoleQuerySchema = z.object({
  /** First line index to read (a tail cursor: the previous answer's `next`). */
  offset: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(CONSOLE_LIMITS.pageLines).default(1000),
  /** Only lines whose text holds this (case-insensitive). */
  search: z.string().max(1000).optional(),
  stream: z.enum(CONSOLE_STREAMS).optional(),
  /** The last `limit` matching lines instead of the first (where a live tail starts). */
  tail: z.enum(["true", "false"]).optional(),
});
export type ConsoleQuery = z.infer<typeof consoleQuerySchema>;

export interface ConsoleLinesResponse {
  lines: Array<ConsoleLine & { index: number }>;
  /** Where the next read starts (the offset after the last line looked at). */
  next: number;
  /** Lines the run's console stream holds. */
  total: number;
}

export const consoleLinesResponseSchema = z.object({
  lines: z.array(
    z.object({
      index: z.number(),
      time: z.number(),
      stream: z.enum(CONSOLE_STREAMS),
      text: z.string(),
    }),
  ),
  next: z.number(),
  total: z.number(),
});

function runPath(ref: { entity: string; project: string; runId: string }): string {
  const enc = encodeURIComponent;
  return `/api/v1/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}`;
}

/** The console's URLs: lines (with a query string the caller adds) and the output.log download. */
export const consolePaths = {
  lines: (ref: { entity: string; project: string; runId: string }): string => `${runPath(ref)}/console`,
  outputLog: (ref: { entity: string; project: string; runId: string }): string =>
    `${runPath(ref)}/output.log`,
  system: (ref: { entity: string; project: string; runId: string }): string => `${runPath(ref)}/system`,
};
