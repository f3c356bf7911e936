/**
 * `applyBatch`, whatever the store: the whole batch in one transaction of the store's
 * IngestPort, committed before it resolves. Offsets are checked first on every stream, so a gap
 * anywhere changes nothing; items below a stream's count are skipped, so a re-sent batch is a
 * no-op. Order within a batch: run metadata, meta records, history, events, console, the summary
 * snapshot (it replaces the stored summary), then the lifecycle (preempting, exit). A batch that
 * brings nothing new on any of its streams is a re-send and changes only the heartbeat.
 */
import {
  generateRunName,
  STREAMS,
  stringifyExtended,
  type IngestBatch,
  type RunRef,
  type StreamName,
  WriterConflictError,
} from "@stepwise/protocol";
import { historyRowCount, type ApplyBatchResult, type StoredRun, type StoreBatch } from "../store/store.js";
import { blankRun } from "../domain/blank-run.js";
import { applyMetaRecord, applyRunUpsert } from "../domain/run-metadata.js";
import { advanceLifecycle } from "../domain/run-state.js";
import { admitWriter } from "../domain/run-writer.js";
import { planStream, type StreamPlan } from "../domain/stream-offsets.js";
import type { IngestPort, RunSnapshot, RunWrites } from "./ingest-port.js";
import { writeHistory } from "./history-rows.js";

type ApplyPlan = Extract<StreamPlan, { kind: "apply" }>;
type Plans = Partial<Record<StreamName, ApplyPlan>>;

/** `random(n)`: an integer in [0, n), for a new run's generated name. */
export function applyBatch(
  port: IngestPort,
  ref: RunRef,
  batch: StoreBatch,
  now: number,
  random: (max: number) => number,
): Promise<ApplyBatchResult> {
  return port.withRun(ref, (snapshot, open) => decide(ref, batch, now, random, snapshot, open));
}

function decide(
  ref: RunRef,
  batch: StoreBatch,
  now: number,
  random: (max: number) => number,
  snapshot: RunSnapshot,
  open: (run: StoredRun) => RunWrites,
): ApplyBatchResult {
  const found = snapshot.run;
  // Before anything else, gaps included: a batch from another writer learns nothing of the run.
  const verdict = admitWriter(ref, found, batch.writer);
  if (verdict.kind === "refuse") throw new WriterConflictError(verdict.message);
  let run = found ?? blankRun(ref, batch.run?.startTime ?? now);
  const plans: Plans = {};
  for (const stream of STREAMS) {
    const part = streamPart(batch, stream);
    if (!part) continue;
    const plan = planStream(stream, part.offset, part.items, run.offsets[stream]);
    // Nothing is written on a gap, not even a new run: the client re-sends from `expected`.
    if (plan.kind === "gap") return { run, gap: { stream, expected: plan.expected } };
    plans[stream] = plan;
  }

  // A batch whose stream parts were all stored before is a re-send (a retry, or `sync` run
  // twice): its run metadata and summary snapshot are stale, so only its heartbeat counts.
  const streams = Object.entries(plans);
  const resent =
    found !== null &&
    streams.length > 0 &&
    streams.every(([s, p]) => p.newCount === run.offsets[s as StreamName]);
  if (found) {
    if (batch.run && !resent) run = applyRunUpsert(run, batch.run);
  } else {
    run = applyRunUpsert(run, batch.run ?? {});
    const earlier = snapshot.projectRuns;
    run.ordinal = earlier + 1;
    if (!batch.run?.name) run.name = generateRunName(earlier, random);
  }
  const writes = open(run);
  run.writer = verdict.writer;
  const before = run.offsets;
  // A replay (`stepwise sync`) is not a sign of life: the run's runtime must not grow to the sync.
  if (batch.replay !== true) run.heartbeatAt = now;
  if (batch.meta && plans.meta)
    run = applyMeta(writes, run, batch.meta.records, plans.meta, batch.replay === true, now);
  if (batch.history && plans.history)
    run.lastStep = writeHistory(writes, run.lastStep, batch.history, plans.history);
  if (batch.events && plans.events) {
    const { lines } = batch.events;
    for (let i = plans.events.skip, at = plans.events.from; i < lines.length; i++, at++) {
      writes.line("events", at, stringifyExtended(lines[i]));
    }
  }
  if (batch.console && plans.console) {
    const { lines } = batch.console;
    for (let i = 0; i < lines.length; i++) writes.consoleLine(plans.console.from + i, lines[i] as string);
  }
  if (batch.summary && !resent) run.summary = batch.summary;

  run.offsets = { ...before };
  for (const stream of STREAMS) {
    const plan = plans[stream];
    if (plan) run.offsets[stream] = plan.newCount;
  }
  const newData = STREAMS.some((s) => run.offsets[s] > before[s]);
  const exit = batch.exit;
  const lifecycle = advanceLifecycle(
    run,
    {
      newData,
      preempting: batch.preempting === true,
      exitCode: exit ? exit.exitCode : null,
      stopRequested: run.stopRequested,
      replay: batch.replay === true,
      created: found === null,
    },
    // A synced offline run ends at its start + runtime, not at upload time.
    exit ? Math.min(now, run.createdAt + exit.runtime) : now,
  );
  run = { ...run, ...lifecycle };
  writes.save(run);
  return { run, gap: null };
}

function applyMeta(
  writes: RunWrites,
  run: StoredRun,
  records: NonNullable<IngestBatch["meta"]>["records"],
  plan: ApplyPlan,
  replay: boolean,
  now: number,
): StoredRun {
  let out = run;
  for (let i = plan.skip, at = plan.from; i < records.length; i++, at++) {
    const record = records[i] as (typeof records)[number];
    out = applyMetaRecord(out, record);
    if (record.t === "alert") writes.alert(at, record, replay, now);
    writes.line("meta", at, stringifyExtended(record));
  }
  return out;
}

function streamPart(batch: StoreBatch, stream: StreamName): { offset: number; items: number } | undefined {
  switch (stream) {
    case "history":
      return batch.history && { offset: batch.history.offset, items: historyRowCount(batch.history) };
    case "events":
      return batch.events && { offset: batch.events.offset, items: batch.events.lines.length };
    case "console":
      return batch.console && { offset: batch.console.offset, items: batch.console.lines.length };
    case "meta":
      return batch.meta && { offset: batch.meta.offset, items: batch.meta.records.length };
  }
}
