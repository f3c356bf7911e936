/**
 * The run's file queue, in the upload worker (live) or in `stepwise sync`: the upload session
 * hands it every `file` record it reads from the run log, and it sends them, at most
 * `concurrency` at a time (file-upload.ts: hashing, retries, resumable parts).
 *
 * One entry per path in the run: a later record for a path replaces an earlier one (a file
 * saved again, summary.json rewritten); one arriving while its path is being sent is sent after
 * it. Policies: `now` is sent once; `end` waits for `releaseEnd()` (the run's exit record was
 * read; `stepwise sync` releases at once, the run being over); `live` is sent now and again
 * whenever the local file changes: it is polled here, off the training thread, and a change is
 * sent once the file has held still for one poll (a debounce: a file being written is not sent
 * half-written every poll). `drain()` sends what is left, including a last look at live files.
 */
import { statSync } from "node:fs";
import type { FileRecord, RunRef } from "@stepwise/protocol";
import { FileState } from "./file-state.js";
import { uploadFile, type FileUploadOutcome } from "./file-upload.js";
import type { ServerTarget } from "./ingest-client.js";
import type { UploadTuning } from "./upload-tuning.js";

export interface FileQueueOptions {
  runDir: string;
  ref: RunRef;
  target: ServerTarget;
  tuning: UploadTuning;
  /** "sync": the run is over: `end` files go at once and live files are sent once. */
  mode: "live" | "sync";
  /** Files sent at once (default 4). */
  concurrency?: number;
  /** Give a file up after this long without the server answering (sync); default: never. */
  giveUpAfterMs?: number;
  onWarning?(cause: string, message: string): void;
  /** The counts changed (at most every 100 ms, and when drained). */
  onStats?(stats: FileQueueStats): void;
}

export interface FileQueueStats {
  /** File records read from the log. */
  seen: number;
  /** Files still to send (held for the end, queued, being sent, a live change not sent yet). */
  pending: number;
  /** Their bytes (as far as known: an unhashed local file counts its size now). */
  bytesPending: number;
  /** Files uploaded (sent, or their content found on the server by sha256). */
  uploaded: number;
  /** Files file-state.json says the server already holds with this content: nothing asked. */
  unchanged: number;
  /** Files given up (a local file gone, a refusal, a server that never answered during sync). */
  failed: number;
  /** Bytes sent over the network by finished uploads. */
  bytesSent: number;
  /** Bytes hashed or sent so far, finished or not (grows while a large file is read or sent: finish()'s sign of progress). */
  progressBytes: number;
  /** Of the uploaded files, those whose content the server already had (nothing sent). */
  deduplicated: number;
  /** The first failure's message; null when none. */
  firstFailure: string | null;
}

type Status = "held" | "queued" | "active" | "done" | "failed";

interface Entry {
  record: FileRecord;
  status: Status;
  /** A newer record for this path that came while this one was being sent. */
  next: FileRecord | null;
  /** Bytes as far as known (for run.status()). */
  bytes: number;
  /** live: the local file's stat when it was last sent. */
  sent: LocalStat | null;
  /** live: a change seen at the last poll, sent once the file still looks the same at the next. */
  changed: LocalStat | null;
}

interface LocalStat {
  size: number;
  mtimeMs: number;
}

const STATS_INTERVAL_MS = 100;

export class FileQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly seenOffsets = new Set<number>();
  private readonly state: FileState;
  private readonly abort = new AbortController();
  private readonly concurrency: number;
  private endReleased: boolean;
  /** Set once the server knows the run (its run record was acknowledged): files wait until then. */
  private runKnown = false;
  private active = 0;
  private stats: FileQueueStats = {
    seen: 0,
    pending: 0,
    bytesPending: 0,
    uploaded: 0,
    unchanged: 0,
    failed: 0,
    bytesSent: 0,
    progressBytes: 0,
    deduplicated: 0,
    firstFailure: null,
  };
  private pollTimer: NodeJS.Timeout | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];
  /** Entries to send, in order (one replaced or sent meanwhile is skipped when its turn comes). */
  private ready: Entry[] = [];

  constructor(private readonly options: FileQueueOptions) {
    this.state = new FileState(options.runDir);
    this.concurrency = options.concurrency ?? 4;
    this.endReleased = options.mode === "sync";
  }

  /** A file record read from the log at `offset` (a record read again after a rewind is ignored). */
  add(record: FileRecord, offset: number): void {
    if (this.seenOffsets.has(offset)) return;
    this.seenOffsets.add(offset);
    this.stats.seen++;
    const entry = this.entries.get(record.path);
    if (entry?.status === "active") entry.next = record;
    else this.enter(this.fresh(record, entry?.sent ?? null));
    this.changed();
    this.pump();
  }

  /** The server has acknowledged the run's record: its files can go (idempotent). */
  runAcknowledged(): void {
    if (this.runKnown) return;
    this.runKnown = true;
    this.pump();
  }

  /** The run's exit record was read: send the `end` files. */
  releaseEnd(): void {
    this.endReleased = true;
    for (const entry of this.entries.values()) if (entry.status === "held") this.enqueue(entry);
    this.pump();
  }

  /**
   * Sends everything left (end files, live files changed since they were sent) and resolves with
   * the counts once nothing is pending, or at `cancel()`.
   */
  async drain(): Promise<FileQueueStats> {
    // Drained once the log's records are on the server: the run exists there.
    this.runKnown = true;
    this.releaseEnd();
    this.stopPolling();
    for (const entry of this.entries.values()) {
      if (entry.record.policy !== "live" || entry.status !== "done" || entry.sent === null) continue;
      const now = localStat(entry.record);
      if (now !== null && !sameStat(now, entry.sent)) this.requeue(entry);
    }
    this.pump();
    while (!this.abort.signal.aborted && this.hasWork())
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.state.flush();
    this.publish();
    return this.currentStats();
  }

  cancel(): void {
    this.abort.abort();
    this.stopPolling();
    this.state.flush();
    this.wakeWaiters();
  }

  currentStats(): FileQueueStats {
    let pending = 0;
    let bytesPending = 0;
    for (const entry of this.entries.values()) {
      const waiting = entry.status !== "done" && entry.status !== "failed";
      if (waiting || entry.next !== null || entry.changed !== null) {
        pending++;
        bytesPending += entry.bytes;
      }
    }
    return { ...this.stats, pending, bytesPending };
  }

  private fresh(record: FileRecord, sent: LocalStat | null): Entry {
    const held = record.policy === "end" && !this.endReleased;
    const bytes = record.size ?? localStat(record)?.size ?? 0;
    return { record, status: held ? "held" : "queued", next: null, bytes, sent, changed: null };
  }

  private enter(entry: Entry): void {
    this.entries.set(entry.record.path, entry);
    if (entry.status === "queued") this.ready.push(entry);
  }

  private enqueue(entry: Entry): void {
    entry.status = "queued";
    this.ready.push(entry);
  }

  /** The next entry to send, skipping those replaced or no longer queued. */
  private nextReady(): Entry | null {
    while (this.ready.length > 0) {
      const entry = this.ready[0] as Entry;
      if (entry.status === "queued" && this.entries.get(entry.record.path) === entry) return entry;
      this.ready.shift();
    }
    return null;
  }

  private hasWork(): boolean {
    return this.active > 0 || this.nextReady() !== null;
  }

  private pump(): void {
    while (this.runKnown && !this.abort.signal.aborted && this.active < this.concurrency) {
      const entry = this.nextReady();
      if (entry === null) return;
      this.ready.shift();
      void this.send(entry);
    }
  }

  private async send(entry: Entry): Promise<void> {
    entry.status = "active";
    this.active++;
    const record = entry.record;
    // Taken before the file is read: a change during the upload is then seen by the next poll.
    const before = record.policy === "live" ? localStat(record) : null;
    let outcome: FileUploadOutcome;
    try {
      outcome = await uploadFile({
        target: this.options.target,
        ref: this.options.ref,
        state: this.state,
        record,
        signal: this.abort.signal,
        backoff: { baseMs: this.options.tuning.backoffBaseMs, capMs: this.options.tuning.backoffCapMs },
        ...(this.options.giveUpAfterMs !== undefined ? { giveUpAfterMs: this.options.giveUpAfterMs } : {}),
        onBytes: (delta) => {
          this.stats.progressBytes += delta;
          this.changed();
        },
        onRetry: (reason) =>
          this.warn("file-retry", `uploading files is being retried (${reason}); they are kept until sent`),
      });
    } catch (error) {
      outcome = { kind: "failed", message: String(error) };
    }
    this.active--;
    this.settle(entry, outcome, before);
    this.changed();
    this.pump();
    this.wakeWaiters();
  }

  private settle(entry: Entry, outcome: FileUploadOutcome, before: LocalStat | null): void {
    if (outcome.kind === "cancelled") this.enqueue(entry);
    else if (outcome.kind === "failed") {
      entry.status = "failed";
      this.stats.failed++;
      const message = `could not upload ${entry.record.path}: ${outcome.message}`;
      this.stats.firstFailure ??= message;
      this.warn("file-failed", `${message} (later failures are counted in run.status() and sync's output)`);
    } else {
      entry.status = "done";
      entry.bytes = outcome.size;
      if (outcome.kind === "unchanged") this.stats.unchanged++;
      else {
        this.stats.uploaded++;
        this.stats.bytesSent += outcome.bytesSent;
        if (outcome.deduplicated) this.stats.deduplicated++;
      }
      if (entry.record.policy === "live" && before !== null && this.options.mode === "live") {
        entry.sent = before;
        this.startPolling();
      }
    }
    if (entry.next !== null && !this.abort.signal.aborted) {
      this.enter(this.fresh(entry.next, entry.sent));
    }
  }

  /** A live file changed: send it again as it is now (the record's hash is of older content). */
  private requeue(entry: Entry): void {
    const size = localStat(entry.record)?.size ?? entry.bytes;
    entry.record = { ...entry.record, size: null, sha256: null };
    entry.bytes = size;
    entry.changed = null;
    this.enqueue(entry);
  }

  private startPolling(): void {
    if (this.pollTimer !== null || this.abort.signal.aborted) return;
    this.pollTimer = setInterval(() => this.poll(), this.options.tuning.filePollMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private poll(): void {
    let requeued = false;
    for (const entry of this.entries.values()) {
      if (entry.record.policy !== "live" || entry.status !== "done" || entry.sent === null) continue;
      const now = localStat(entry.record);
      if (now === null || sameStat(now, entry.sent)) {
        entry.changed = null;
        continue;
      }
      if (entry.changed !== null && sameStat(now, entry.changed)) {
        this.requeue(entry);
        requeued = true;
      } else entry.changed = now;
    }
    if (requeued) {
      this.changed();
      this.pump();
    }
  }

  private wakeWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Counts are published at most every 100 ms: 10,000 small files must not cost 10,000 scans each. */
  private changed(): void {
    if (this.statsTimer !== null || this.options.onStats === undefined) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      this.publish();
    }, STATS_INTERVAL_MS);
  }

  private publish(): void {
    this.options.onStats?.(this.currentStats());
  }

  private warn(cause: string, message: string): void {
    this.options.onWarning?.(cause, message);
  }
}

function localStat(record: FileRecord): LocalStat | null {
  if (!("local" in record.source)) return null;
  const found = statSync(record.source.local, { throwIfNoEntry: false });
  return found === undefined ? null : { size: found.size, mtimeMs: found.mtimeMs };
}

function sameStat(a: LocalStat, b: LocalStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}
