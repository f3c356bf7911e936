/**
 * The `runs` table row and its mapping to and from StoredRun. JSON columns: config and summary
 * in extended JSON (NaN/Infinity kept), tags/args/metrics in plain JSON.
 */
import { parseExtended, stringifyExtended } from "@stepwise/protocol";
import type { StoredRun } from "../store.js";

export interface RunRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
  name: string;
  state: string;
  group_name: string;
  job_type: string;
  tags: string;
  notes: string;
  config: string;
  summary: string;
  metrics: string;
  host: string;
  program: string;
  args: string;
  git_commit: string | null;
  created_at: number;
  heartbeat_at: number;
  finished_at: number | null;
  exit_code: number | null;
  last_step: number | null;
  starting_step: number;
  history_count: number;
  events_count: number;
  console_count: number;
  meta_count: number;
  stop_requested: number;
  ordinal: number;
  writer: string | null;
}

export const RUN_COLUMNS =
  "pk, entity, project, run_id, name, state, group_name, job_type, tags, notes, config, summary, metrics, " +
  "host, program, args, git_commit, created_at, heartbeat_at, finished_at, exit_code, last_step, " +
  "starting_step, history_count, events_count, console_count, meta_count, stop_requested, ordinal, writer";

export function runFromRow(row: RunRow): StoredRun {
  return {
    entity: row.entity,
    project: row.project,
    id: row.run_id,
    name: row.name,
    state: row.state as StoredRun["state"],
    group: row.group_name,
    jobType: row.job_type,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    config: parseExtended(row.config) as Record<string, unknown>,
    summary: parseExtended(row.summary) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics) as StoredRun["metrics"],
    host: row.host,
    program: row.program,
    args: JSON.parse(row.args) as string[],
    gitCommit: row.git_commit,
    createdAt: row.created_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at,
    exitCode: row.exit_code,
    lastStep: row.last_step,
    startingStep: row.starting_step,
    offsets: {
      history: row.history_count,
      events: row.events_count,
      console: row.console_count,
      meta: row.meta_count,
    },
    stopRequested: row.stop_requested !== 0,
    ordinal: row.ordinal,
    writer: row.writer,
  };
}

/** Named parameters for INSERT/UPDATE of every column but `pk`. */
export function runParams(run: StoredRun): Record<string, string | number | null> {
  return {
    entity: run.entity,
    project: run.project,
    run_id: run.id,
    name: run.name,
    state: run.state,
    group_name: run.group,
    job_type: run.jobType,
    tags: JSON.stringify(run.tags),
    notes: run.notes,
    config: stringifyExtended(run.config),
    summary: stringifyExtended(run.summary),
    metrics: JSON.stringify(run.metrics),
    host: run.host,
    program: run.program,
    args: JSON.stringify(run.args),
    git_commit: run.gitCommit,
    created_at: run.createdAt,
    heartbeat_at: run.heartbeatAt,
    finished_at: run.finishedAt,
    exit_code: run.exitCode,
    last_step: run.lastStep,
    starting_step: run.startingStep,
    history_count: run.offsets.history,
    events_count: run.offsets.events,
    console_count: run.offsets.console,
    meta_count: run.offsets.meta,
    stop_requested: run.stopRequested ? 1 : 0,
    ordinal: run.ordinal,
    writer: run.writer,
  };
}
