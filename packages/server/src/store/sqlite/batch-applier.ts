/**
 * `applyBatch` for SQLite: the whole batch in one transaction, committed before it returns
 * (WAL, synchronous=NORMAL: durable against a process crash; a power cut may lose the last
 * commits but never corrupts). Offsets are checked first on every stream, so a gap anywhere
 * changes nothing; items below a stream's count are skipped, so a re-sent batch is a no-op.
 * Order within a batch: run metadata, meta records, history, events, console, the summary
 * snapshot (it replaces the stored summary), then the lifecycle (preempting, exit). A batch
 * that brings nothing new on any of its streams is a re-send and changes only the heartbeat.
 */
import { randomInt } from "node:crypto";
import type Database from "better-sqlite3";
import {
  generateRunName,
  STREAMS,
  stringifyExtended,
  type IngestBatch,
  type PackedRows,
  type RunRef,
  type StreamName,
  WriterConflictError,
} from "@stepwise/protocol";
import { historyRowCount, type ApplyBatchResult, type StoredRun, type StoreBatch } from "../store.js";
import { PackedRowPoints } from "../../domain/packed-row-points.js";
import { blankRun } from "../../domain/blank-run.js";
import { rowStep, splitHistoryRow } from "../../domain/history-row.js";
import { applyMetaRecord, applyRunUpsert } from "../../domain/run-metadata.js";
import { advanceLifecycle } from "../../domain/run-state.js";
import { admitWriter } from "../../domain/run-writer.js";
import { planStream, type StreamPlan } from "../../domain/stream-offsets.js";
import { historyBlockChecksum } from "./checksum.js";
import { toBlob } from "./float-blob.js";
import { HistoryBlock } from "./history-block.js";
import { packedBlock } from "./packed-block.js";
import { PointBuffer } from "./point-buffer.js";
import { RichValueCollector, type RichValueExtension } from "./rich-value-hook.js";
import type { RunTable } from "./run-table.js";
import type { SeriesWriter } from "./series-writer.js";
import type { SqliteAlertStore } from "./alert-records.js";

type Plans = Partial<Record<StreamName, Extract<StreamPlan, { kind: "apply" }>>>;

export class BatchApplier {
  private readonly insertHistory: Database.Statement<
    [number, number, number, number, number, Buffer, string, Uint8Array | null, number]
  >;
  private readonly insertLine: Database.Statement<[number, string, number, string]>;
  private readonly upsertLine: Database.Statement<[number, string, number, string]>;
  private readonly transaction: (ref: RunRef, batch: StoreBatch, now: number) => ApplyBatchResult;

  constructor(
    db: Database.Database,
    private readonly runs: RunTable,
    private readonly series: SeriesWriter,
    /** Rich values hook (rich-value-hook.ts): non-numeric values of the batch's new rows. */
    private readonly richValues: readonly RichValueExtension[] = [],
    /** Keeps the batch's `alert` meta records (alert-records.ts). */
    private readonly alerts: Pick<SqliteAlertStore, "record"> | null = null,
  ) {
    this.insertHistory = db.prepare(
      `INSERT INTO history_blocks (run_pk, first_index, row_count, min_step, max_step, steps, body, packed, crc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertLine = db.prepare(
      "INSERT INTO stream_lines (run_pk, stream, line_index, body) VALUES (?, ?, ?, ?)",
    );
    this.upsertLine = db.prepare(
      `INSERT INTO stream_lines (run_pk, stream, line_index, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_pk, stream, line_index) DO UPDATE SET body = excluded.body`,
    );
    this.transaction = db.transaction((ref: RunRef, batch: StoreBatch, now: number) =>
      this.run(ref, batch, now),
    );
  }

  apply(ref: RunRef, batch: StoreBatch, now: number): ApplyBatchResult {
    try {
      return this.transaction(ref, batch, now);
    } catch (error) {
      this.series.forget();
      throw error;
    }
  }

  private run(ref: RunRef, batch: StoreBatch, now: number): ApplyBatchResult {
    const found = this.runs.find(ref);
    // Before anything else, gaps included: a batch from another writer learns nothing of the run.
    const verdict = admitWriter(ref, found?.run ?? null, batch.writer);
    if (verdict.kind === "refuse") throw new WriterConflictError(verdict.message);
    let run = found?.run ?? blankRun(ref, batch.run?.startTime ?? now);
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
    let pk: number;
    if (found) {
      pk = found.pk;
      if (batch.run && !resent) run = applyRunUpsert(run, batch.run);
    } else {
      run = applyRunUpsert(run, batch.run ?? {});
      const earlier = this.runs.countProjectRuns(ref.entity, ref.project);
      run.ordinal = earlier + 1;
      if (!batch.run?.name) run.name = generateRunName(earlier, randomInt);
      pk = this.runs.create(run);
    }
    run.writer = verdict.writer;
    const before = run.offsets;
    // A replay (`stepwise sync`) is not a sign of life: the run's runtime must not grow to the sync.
    if (batch.replay !== true) run.heartbeatAt = now;
    if (batch.meta && plans.meta)
      run = this.applyMeta(pk, run, batch.meta.records, plans.meta, batch.replay === true, now);
    if (batch.history && plans.history) this.applyHistory(pk, run, batch.history, plans.history);
    if (batch.events && plans.events) {
      const { lines } = batch.events;
      for (let i = plans.events.skip, at = plans.events.from; i < lines.length; i++, at++) {
        this.insertLine.run(pk, "events", at, stringifyExtended(lines[i]));
      }
    }
    if (batch.console && plans.console) {
      const { lines } = batch.console;
      for (let i = 0; i < lines.length; i++)
        this.upsertLine.run(pk, "console", plans.console.from + i, lines[i] as string);
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
    this.runs.save(pk, run);
    return { run, gap: null };
  }

  private applyMeta(
    pk: number,
    run: StoredRun,
    records: NonNullable<IngestBatch["meta"]>["records"],
    plan: Extract<StreamPlan, { kind: "apply" }>,
    replay: boolean,
    now: number,
  ): StoredRun {
    let out = run;
    for (let i = plan.skip, at = plan.from; i < records.length; i++, at++) {
      const record = records[i] as (typeof records)[number];
      out = applyMetaRecord(out, record);
      if (record.t === "alert") this.alerts?.record(pk, at, record, replay, now);
      this.insertLine.run(pk, "meta", at, stringifyExtended(record));
    }
    return out;
  }

  private writeBlock(
    pk: number,
    firstIndex: number,
    block: HistoryBlock,
    packed: Uint8Array | null = null,
  ): void {
    const steps = block.steps.subarray(0, block.rows);
    let min = Infinity;
    let max = -Infinity;
    for (const step of steps) {
      if (step < min) min = step;
      if (step > max) max = step;
    }
    const body = packed === null ? block.texts.join("\n") : "";
    const stepBytes = toBlob(steps);
    const crc = historyBlockChecksum(firstIndex, block.rows, min, max, stepBytes, body, packed);
    this.insertHistory.run(pk, firstIndex, block.rows, min, max, stepBytes, body, packed, crc);
    block.reset();
  }

  /** Stores each new row whole and appends its numeric leaves to their series (x = the row's step). */
  private applyHistory(
    pk: number,
    run: StoredRun,
    history: NonNullable<StoreBatch["history"]>,
    plan: Extract<StreamPlan, { kind: "apply" }>,
  ): void {
    if ("packed" in history) {
      this.applyPackedHistory(pk, run, history.packed, plan);
      return;
    }
    const { rows, texts } = history;
    const points = new PointBuffer();
    const sink = points.sink;
    const rich = new RichValueCollector();
    let previous = run.lastStep;
    let lastStep = run.lastStep;
    const block = new HistoryBlock();
    let blockStart = plan.from;
    for (let i = plan.skip, at = plan.from; i < rows.length; i++, at++) {
      const row = rows[i] as Record<string, unknown>;
      const step = rowStep(row, previous);
      points.setStep(step);
      rich.at(step, at);
      previous = step;
      if (lastStep === null || step > lastStep) lastStep = step;
      if (block.add(step, splitHistoryRow(row, sink, texts?.[i], rich.sink))) {
        this.writeBlock(pk, blockStart, block);
        blockStart = at + 1;
      }
    }
    if (block.rows > 0) this.writeBlock(pk, blockStart, block);
    run.lastStep = lastStep;
    points.flush((key, xs, ys) => this.series.append(pk, key, xs, ys));
    rich.flush(pk, this.richValues);
  }

  /** As applyHistory, for packed rows: read in place, stored packed (a block = key table + its rows). */
  private applyPackedHistory(
    pk: number,
    run: StoredRun,
    packed: PackedRows,
    plan: Extract<StreamPlan, { kind: "apply" }>,
  ): void {
    const points = new PointBuffer();
    const splitter = new PackedRowPoints(packed);
    const sink = points.sink;
    const rich = new RichValueCollector();
    const onStep = (step: number): void => {
      points.setStep(step);
      rich.setStep(step);
    };
    let previous = run.lastStep;
    let lastStep = run.lastStep;
    const block = new HistoryBlock();
    const count = packed.rowStarts.length;
    let blockFirstRow = plan.skip;
    let blockBytes = 0;
    for (let i = plan.skip, at = plan.from; i < count; i++, at++) {
      rich.setRow(at);
      previous = splitter.split(i, previous, onStep, sink, rich.sink);
      if (lastStep === null || previous > lastStep) lastStep = previous;
      block.steps[block.rows++] = previous;
      blockBytes += (packed.rowEnds[i] as number) - (packed.rowStarts[i] as number);
      if (block.rows === HistoryBlock.MAX_ROWS || blockBytes >= HistoryBlock.MAX_CHARS || i === count - 1) {
        const firstIndex = at - block.rows + 1;
        this.writeBlock(pk, firstIndex, block, packedBlock(packed, blockFirstRow, i + 1));
        blockFirstRow = i + 1;
        blockBytes = 0;
      }
    }
    run.lastStep = lastStep;
    points.flush((key, xs, ys) => this.series.append(pk, key, xs, ys));
    rich.flush(pk, this.richValues);
  }
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
