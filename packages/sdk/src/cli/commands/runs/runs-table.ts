/**
 * The `stepwise runs` table: id, name, state, created (UTC), runtime, lastStep, in columns
 * padded to the widest cell so that it reads in a terminal and splits on whitespace in scripts.
 */
import type { ApiRun } from "../../../api/api-run.js";
import { textTable } from "../../format/text-table.js";

const HEADER = ["ID", "NAME", "STATE", "CREATED (UTC)", "RUNTIME", "LAST STEP"] as const;

export function runsTable(runs: readonly ApiRun[]): string {
  return textTable(HEADER, runs.map(runCells));
}

function runCells(run: ApiRun): string[] {
  const end = run.finishedAt ?? run.heartbeatAt;
  return [
    run.id,
    run.name,
    run.state,
    new Date(run.createdAt * 1000).toISOString().slice(0, 16).replace("T", " "),
    formatDuration(Math.max(0, end - run.createdAt)),
    run.lastStep === null ? "-" : String(run.lastStep),
  ];
}

/** 42s, 3m05s, 2h07m, 3d04h: two units are enough to compare runs at a glance. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
