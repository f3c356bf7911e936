/**
 * Turns log records, in order, into ingest batches. It numbers every stream item (history rows;
 * meta records: config, metric, summary ops, run-update) from the run directory's base offsets,
 * replays the summary exactly as the run computed it (the batch's `summary` replaces the stored
 * one), and leaves out what the server already has: records up to an acknowledged log offset,
 * and stream items below the counts the server reported after a gap.
 */
import type {
  IngestBatch,
  IngestWriter,
  MetaRecord,
  RunRecord,
  RunStartRecord,
  RunUpsert,
  StreamOffsets,
} from "@stepwise/protocol";
import { PackedRowsBuilder, stringifyExtended } from "@stepwise/protocol";
import { SummaryEngine } from "../summary/summary-engine.js";
import type { TailEntry } from "./log-tail.js";
import { writerClaim } from "../identity/writer-id.js";
import { shiftPackedStep, shiftStep, type ContinuedRun } from "./sync-target.js";
import { SideStreams } from "./side-streams.js";

export interface SealedBatch {
  /** Everything but the history rows. */
  batch: IngestBatch;
  /** History rows as packed rows (sent in a packed ingest body). */
  history: { offset: number; packed: Uint8Array } | null;
  /** Log offset just after the last record the batch covers. */
  endOffset: number;
  /** Stream offsets after the batch. */
  offsets: StreamOffsets;
  /** History rows and meta records in the batch. */
  items: number;
  hasExit: boolean;
  /** Log records the batch carries (history rows, meta records, the run record, the summary snapshot). */
  records: number;
  /** The record, when the batch carries exactly one (what is quarantined if the server refuses it). */
  soleEntry: TailEntry | null;
}

export interface SkipRule {
  /** Records ending at or before this log offset are already acknowledged. */
  logOffset: number;
  /** Stream items below these indices are on the server already. */
  below: StreamOffsets;
}

export class BatchBuilder {
  private engine = newEngine();
  private offsets: StreamOffsets;
  private skip: SkipRule;
  /** History rows in packed form: binary rows copied from the log as they are. */
  private rows = new PackedRowsBuilder();
  private historyStart = 0;
  private meta: MetaRecord[] = [];
  private metaStart = 0;
  /** System metrics (events) and console lines. */
  private side = new SideStreams();
  private run: RunUpsert | null = null;
  /** From the log's run record (identity/writer-id.ts); sent with every batch. */
  private writer: IngestWriter | null = null;
  private base: StreamOffsets;
  private snapshot: Record<string, unknown> | null = null;
  private exit: { exitCode: number; runtime: number } | null = null;
  private summaryDirty = false;
  private bytes = 0;
  private endOffset: number;
  /** Date.now() when the open batch got its first item. */
  openedAt: number | null = null;
  /** Log offsets of records the server refused for good (quarantine.ts): left out, not numbered. */
  quarantined: ReadonlySet<number> = new Set();
  /** While the uploader isolates a refused record: at most this many records per batch. */
  recordLimit: number | null = null;
  private records = 0;
  private lastEntry: TailEntry | null = null;

  constructor(
    base: StreamOffsets,
    skip: SkipRule,
    private readonly limits: { rows: number; bytes: number },
  ) {
    this.offsets = { ...base };
    this.base = { ...base };
    this.skip = skip;
    this.endOffset = skip.logOffset;
  }

  /** `stepwise sync --resume` (sync-target.ts): the log is appended to a stored run. */
  private continued: ContinuedRun | null = null;

  continueStoredRun(continued: ContinuedRun): void {
    this.continued = continued;
  }

  /** Starts over from the log's first record (gap recovery). */
  reset(base: StreamOffsets, skip: SkipRule): void {
    this.engine = newEngine();
    this.offsets = { ...base };
    this.base = { ...base };
    this.skip = skip;
    this.endOffset = skip.logOffset;
    this.clear();
  }

  /** Full, or holding something to send at once: the run record (the server learns of the run) or the exit. */
  get full(): boolean {
    return (
      this.rows.rowCount >= this.limits.rows ||
      this.bytes >= this.limits.bytes ||
      this.side.full ||
      (this.recordLimit !== null && this.records >= this.recordLimit) ||
      this.exit !== null ||
      this.run !== null
    );
  }

  get hasContent(): boolean {
    return this.openedAt !== null;
  }

  get hasExit(): boolean {
    return this.exit !== null;
  }

  /** Log offset up to which records have been taken in (sent or in the open batch). */
  get position(): number {
    return this.endOffset;
  }

  add(entry: TailEntry): void {
    const { record } = entry;
    const fresh = entry.end > this.skip.logOffset;
    this.endOffset = Math.max(this.endOffset, entry.end);
    if (this.quarantined.size > 0 && this.quarantined.has(entry.offset)) {
      // As if never logged; a quarantined snapshot leaves the summary to the replay.
      if (fresh && record.t === "summary-snapshot") this.summaryDirty = true;
      return;
    }
    const size = entry.end - entry.offset;
    switch (record.t) {
      case "history": {
        const row = this.continued === null ? record.row : shiftStep(record.row, this.continued.stepShift);
        this.engine.observeRow(row);
        if (fresh && this.offsets.history >= this.skip.below.history) {
          if (this.rows.rowCount === 0) this.historyStart = this.offsets.history;
          const keys = entry.keys;
          const keyOf = (id: number): string => keys[id] as string;
          // The log's bytes travel as they are (with `_step` moved when appended to a stored run).
          if (!entry.packed) this.rows.addObject(row, stringifyExtended);
          else if (this.continued === null) this.rows.addRaw(entry.packed, keyOf);
          else this.rows.addRaw(shiftPackedStep(entry.packed, keyOf, this.continued.stepShift), keyOf);
          this.grow(size, entry);
          this.summaryDirty = true;
        }
        this.offsets.history++;
        return;
      }
      case "config":
      case "metric":
      case "summary":
      case "run-update":
      case "alert":
        this.applyMeta(record);
        if (fresh && this.offsets.meta >= this.skip.below.meta) {
          if (this.meta.length === 0) this.metaStart = this.offsets.meta;
          this.meta.push(record);
          this.grow(size, entry);
          if (record.t === "metric" || record.t === "summary") this.summaryDirty = true;
        }
        this.offsets.meta++;
        return;
      case "run":
        this.writer = writerClaim(record, this.base, this.continued !== null);
        if (fresh) {
          this.run = toUpsert(record);
          // A resumed run keeps the start time the server has; an appended one its name and start too.
          if (record.resumed || this.continued !== null) delete this.run.startTime;
          if (this.continued !== null) {
            delete this.run.name;
            delete this.run.startingStep;
          }
          this.grow(size, entry);
        }
        return;
      case "summary-snapshot":
        if (fresh) {
          this.snapshot = record.summary;
          this.grow(size, entry);
        }
        return;
      case "exit":
        if (fresh) {
          this.exit = { exitCode: record.exitCode, runtime: record.runtime };
          this.grow(1);
        }
        return;
      case "system":
        if (this.side.addSystem(record, fresh, this.offsets, this.skip.below)) this.grow(size, entry);
        return;
      case "console":
        if (this.side.addConsole(record, fresh, this.offsets, this.skip.below)) this.grow(size, entry);
        return;
      case "file":
      case "artifact":
        // Files and artifacts go through their queues (upload-session.ts), never in an ingest batch.
        return;
    }
  }

  /** Seals the open batch (possibly empty: a heartbeat) and opens a new one. */
  take(preempting: boolean): SealedBatch {
    const batch: IngestBatch = {};
    if (this.writer) batch.writer = this.writer;
    if (this.run) batch.run = this.run;
    const history = this.rows.rowCount > 0 ? { offset: this.historyStart, packed: this.rows.build() } : null;
    if (this.meta.length > 0) batch.meta = { offset: this.metaStart, records: this.meta };
    this.side.fill(batch);
    const summary = this.summaryToSend();
    if (summary !== null) batch.summary = summary;
    if (preempting) batch.preempting = true;
    if (this.exit) batch.exit = this.exit;
    const sealed: SealedBatch = {
      batch,
      history,
      endOffset: this.endOffset,
      offsets: { ...this.offsets },
      items: this.rows.rowCount + this.meta.length + this.side.items,
      hasExit: this.exit !== null,
      records: this.records,
      soleEntry: this.records === 1 ? this.lastEntry : null,
    };
    this.clear();
    return sealed;
  }

  /** The whole summary when it changed: the snapshot, else the replay; merged over a stored run's. */
  private summaryToSend(): Record<string, unknown> | null {
    if (this.snapshot === null && !this.summaryDirty) return null;
    if (this.continued === null) return this.snapshot ?? this.engine.toJSON();
    // Appended to a stored run: the replay (of shifted rows) stands in for the snapshot.
    return { ...this.continued.summary, ...this.engine.toJSON() };
  }

  private clear(): void {
    this.rows = new PackedRowsBuilder();
    this.meta = [];
    this.side.clear();
    this.run = null;
    this.snapshot = null;
    this.exit = null;
    this.summaryDirty = false;
    this.bytes = 0;
    this.openedAt = null;
    this.records = 0;
    this.lastEntry = null;
  }

  private grow(bytes: number, entry?: TailEntry): void {
    if (entry !== undefined) {
      this.records++;
      this.lastEntry = entry;
    }
    this.bytes += bytes;
    this.openedAt ??= Date.now();
  }

  private applyMeta(
    record: Extract<RunRecord, { t: "config" | "metric" | "summary" | "run-update" | "alert" }>,
  ): void {
    if (record.t === "metric") this.engine.applyMetricRecord(record);
    else if (record.t === "summary") {
      for (const op of record.ops) {
        if (op.op === "set") this.engine.set(op.path, op.value);
        else this.engine.remove(op.path);
      }
    }
  }
}

function newEngine(): SummaryEngine {
  return new SummaryEngine({ onMetric: () => undefined, onWarning: () => undefined });
}

function toUpsert(record: RunStartRecord): RunUpsert {
  return {
    name: record.name,
    group: record.group,
    jobType: record.jobType,
    tags: record.tags,
    notes: record.notes,
    config: record.config,
    host: record.host,
    // The server bounds these (4096 characters, 1000 arguments); a longer command line is cut, not refused.
    program: record.program.slice(0, 4096),
    args: record.args.slice(0, 1000).map((arg) => arg.slice(0, 4096)),
    gitCommit: record.gitCommit,
    startTime: record.startTime,
    startingStep: record.startingStep,
    mode: record.mode,
    sdkVersion: record.sdkVersion,
  };
}
