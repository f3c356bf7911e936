/**
 * How run metadata changes: the `run` part of a batch (upsert: fields present replace, config
 * deep-merges so a re-sent first batch cannot undo later config changes), ordered meta records
 * (config deltas, metric definitions, explicit summary edits, name/tags/notes), and patches from
 * the API. Pure: each returns a new StoredRun.
 */
import type { MetaRecord, RunUpsert } from "@stepwise/protocol";
import type { RunPatch, StoredRun } from "../store/store.js";
import { deepMerge } from "./deep-merge.js";
import { upsertMetricDefinition } from "./metric-definitions.js";
import { applySummaryOps } from "./summary-ops.js";

export function applyRunUpsert(run: StoredRun, upsert: RunUpsert): StoredRun {
  const out: StoredRun = { ...run };
  if (upsert.name !== undefined) out.name = upsert.name;
  if (upsert.group !== undefined) out.group = upsert.group;
  if (upsert.jobType !== undefined) out.jobType = upsert.jobType;
  if (upsert.tags !== undefined) out.tags = [...upsert.tags];
  if (upsert.notes !== undefined) out.notes = upsert.notes;
  if (upsert.config !== undefined) out.config = deepMerge(run.config, upsert.config);
  if (upsert.host !== undefined) out.host = upsert.host;
  if (upsert.program !== undefined) out.program = upsert.program;
  if (upsert.args !== undefined) out.args = [...upsert.args];
  if (upsert.gitCommit !== undefined) out.gitCommit = upsert.gitCommit;
  if (upsert.startingStep !== undefined) out.startingStep = upsert.startingStep;
  return out;
}

export function applyMetaRecord(run: StoredRun, record: MetaRecord): StoredRun {
  switch (record.t) {
    case "config":
      return { ...run, config: deepMerge(run.config, record.update) };
    case "metric":
      return { ...run, metrics: upsertMetricDefinition(run.metrics, record) };
    case "summary":
      return { ...run, summary: applySummaryOps(run.summary, record.ops) };
    case "run-update": {
      const out: StoredRun = { ...run };
      if (record.name !== undefined) out.name = record.name;
      if (record.tags !== undefined) out.tags = [...record.tags];
      if (record.notes !== undefined) out.notes = record.notes;
      return out;
    }
    case "alert":
      // Kept and delivered by the alert store (store/sqlite/alert-records.ts), not on the run.
      return run;
  }
}

export function applyRunPatch(run: StoredRun, patch: RunPatch): StoredRun {
  const out: StoredRun = { ...run };
  if (patch.name !== undefined) out.name = patch.name;
  if (patch.tags !== undefined) out.tags = [...patch.tags];
  if (patch.notes !== undefined) out.notes = patch.notes;
  if (patch.state !== undefined) out.state = patch.state;
  if (patch.stopRequested !== undefined) out.stopRequested = patch.stopRequested;
  if (patch.summary !== undefined) out.summary = { ...run.summary, ...patch.summary };
  if (patch.config !== undefined) out.config = deepMerge(run.config, patch.config);
  return out;
}
