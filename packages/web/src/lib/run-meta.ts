/**
 * How the run page and the compare view present a run's metadata: the command line it ran, a
 * duration that keeps ticking while it runs, file sizes, and the metadata rows compared across
 * runs.
 */
import type { RunDto } from "@stepwise/protocol";
import { formatDateTime, formatDuration, runDuration } from "./time-format.js";

/** Characters that need no quoting in a POSIX shell word. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** `program arg…` as a shell would take it back: words with spaces or quotes are single-quoted. */
export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...args]
    .filter((word, i) => i > 0 || word !== "")
    .map(shellQuote)
    .join(" ");
}

export function shellQuote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Seconds the run has been going. A running run counts up to `now` (Unix seconds) so the page
 * ticks between heartbeats; a finished one stops at its end.
 */
export function liveDuration(
  run: Pick<RunDto, "state" | "createdAt" | "heartbeatAt" | "finishedAt">,
  now: number,
): number {
  const recorded = runDuration(run);
  if (run.state !== "running" || run.finishedAt !== null) return recorded;
  return Math.max(recorded, now - run.createdAt);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** `512 B`, `1.5 KB`, `23 MB` (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/** The metadata compared across runs; empty strings are left out (shown as not set). */
export function runMetadata(run: RunDto): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    state: run.state,
    group: run.group,
    jobType: run.jobType,
    tags: run.tags.length > 0 ? [...run.tags].sort() : "",
    host: run.host,
    command: formatCommand(run.program, run.args),
    gitCommit: run.gitCommit ?? "",
    created: formatDateTime(run.createdAt),
    duration: formatDuration(runDuration(run)),
    exitCode: run.exitCode,
  };
  for (const [key, value] of Object.entries(meta)) if (value === "" || value === null) delete meta[key];
  return meta;
}
