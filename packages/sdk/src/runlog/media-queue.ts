/**
 * Keeps the run log in order while media files are written off the training thread. A history
 * row whose media sit directly under its keys goes into the ring at once as a deferred row
 * (deferred-row.ts): the writer worker appends its files and the row once they are written,
 * without this thread's event loop; only its results are read here later (warnings, slots,
 * pace). Otherwise a history row or record holding a PendingMedia (media/pending-media.ts) — and the history rows appended
 * after it — waits here until the media worker has encoded, hashed and written its files; then
 * its `file` records go into the log, followed by the row with W&B's JSON (path with the sha256).
 * Records without media (`file` from save(), config, alerts, metrics…) do not wait, except the
 * exit record (kept last) and a record of a type already waiting (summary ops stay in order).
 *
 * `log()` only binds (key, step), posts the copied data to a media thread (a pooled buffer shared,
 * media/pixel-buffers.ts, or another one transferred: never copied again) and returns. Waiting rows are appended as soon as their files are written: at the next
 * append, every 20 ms from a timer while the event loop turns, and at flush and close, which
 * wait for the worker. Memory is bounded: beyond MAX_PENDING_BYTES of data posted and not yet
 * written, or RESULT_SLOTS files, the caller waits for the oldest (backpressure, like the ring).
 * Time bounds the crash window too: log() waits for the oldest item while the work queued for
 * the media threads would take them more than MAX_ROW_WAIT_MS (their pace is learnt from the
 * milliseconds each file took), and once the oldest waiting row is MAX_ROW_WAIT_MS old the next
 * append (or the timer) waits for its files; so a row is in the log about 200 ms after log()
 * even during a burst of media.
 */
import { join, sep } from "node:path";
import type { RunRecord } from "@stepwise/protocol";
import { fillTemplate, mediaFilePath, type WrittenFile } from "../media/fill-template.js";
import type { ConfigEntry, LoggedFile } from "../media/logged-value.js";
import { writeFilledJson } from "../media/filled-json-file.js";
import { MediaResults, RESULT_SLOTS } from "../media/media-results.js";
import type { MediaJob } from "../media/media-worker.js";
import { forEachPending, PendingMedia, withMediaJson } from "../media/pending-media.js";
import { deferredRow } from "./deferred-row.js";
import {
  contentBytes,
  MEDIA_THREADS,
  MediaThreads,
  pooledBuffer,
  transferable,
  type MediaThread,
} from "./media-threads.js";

/** Data posted to the worker and not yet written, before log() waits. */
const MAX_PENDING_BYTES = 256 * 1024 * 1024;
/**
 * Longest a flush or close waits for the media threads in all, and log() for one file under
 * backpressure (a hung disk; a stuck ffmpeg is killed after its own timeout, encode-video.ts).
 */
const FILE_WAIT_MS = 120_000;
const DRAIN_INTERVAL_MS = 20;
const FREE = 0;
const BUSY = 1;
const RETIRED = 2;
/** Longest a row waits for media before an append (or the timer) waits for the media threads. */
export const MAX_ROW_WAIT_MS = 200;

export interface MediaQueueSink {
  appendRow(row: Record<string, unknown>): void;
  appendRecord(record: RunRecord): void;
  /** A record already encoded as plain JSON (the `file` records: one flat string, less garbage). */
  appendRecordJson?(json: string): void;
  /** Writes config entries (class labels) once per run. */
  setConfig(path: string[], value: unknown): void;
  /**
   * Appends a row waiting for its files as a deferred ring frame (deferred-row.ts) that the
   * writer worker expands once they are written; returns the frames produced so far, or null
   * when it does not fit one frame. Without it every media row waits here.
   */
  appendDeferred?(text: string): number | null;
  /** Waits until the writer worker has consumed the first `frames` ring frames. */
  waitConsumed?(frames: number): void;
  /** Told of each media `file` record appended (for the run's file counts). */
  fileRecorded?(bytes: number): void;
  warn(cause: string, message: string): void;
}

interface Binding {
  media: PendingMedia;
  key: string;
  step: number | "summary";
  slots: number[];
  results: Array<WrittenFile | null>;
  bytes: number;
  /** Milliseconds the media threads took for its files. */
  ms: number;
  done: boolean;
  recorded: boolean;
  /** Date.now() when bound. */
  at: number;
}

interface Item {
  kind: "row" | "record";
  /** Date.now() when queued. */
  at: number;
  value: Record<string, unknown>;
  bindings: Binding[];
}

export class MediaQueue {
  private readonly items: Item[] = [];
  private readonly bindings = new WeakMap<PendingMedia, Binding>();
  private readonly results: MediaResults;
  /** Per slot: FREE, BUSY (job posted, result not read) or RETIRED (given up on; see allocateSlot). */
  private readonly slotBusy = new Uint8Array(RESULT_SLOTS);
  private readonly configSet = new Set<string>();
  /** Bindings of deferred rows (in the ring already) whose results are not read yet, oldest first. */
  private readonly posted: Binding[] = [];
  /** Per slot: the ring frames to be consumed before it is reused (a deferred row reads it); 0: none. */
  private readonly slotFrames = new Float64Array(RESULT_SLOTS);
  private nextSlot = 0;
  private pendingBytes = 0;
  /**
   * Milliseconds a media thread spends per byte of posted data (moving average), starting from
   * 5 ns/byte (PNG encoding of 512×512 RGB measured at about 3 ns/byte on one core).
   */
  private msPerByte = 5e-6;
  private draining = false;
  private timer: NodeJS.Timeout | null = null;

  private readonly threads: MediaThreads;
  private readonly filesDir: string;

  constructor(
    private readonly runDir: string,
    private readonly sink: MediaQueueSink,
    /** Longest flush/close waits in all (tests shorten it). */
    private readonly fileWaitMs = FILE_WAIT_MS,
    /** The results table (shared with the writer worker when it expands deferred rows). */
    results = new MediaResults(),
  ) {
    this.results = results;
    this.filesDir = join(runDir, "files");
    this.threads = new MediaThreads(this.results, (cause, message) => this.sink.warn(cause, message), runDir);
  }

  /** Waiting records by type (`t`), so a later record of the same type keeps its place. */
  private readonly recordTypes = new Map<string, number>();

  /** Whether history rows must queue behind waiting media. */
  get waiting(): boolean {
    return this.items.length > 0;
  }

  /**
   * Whether a record without media must queue: the exit record while anything waits (it stays
   * last), or a record of a type already waiting (two summary updates keep their order).
   */
  mustQueue(record: RunRecord): boolean {
    if (this.items.length === 0) return false;
    return record.t === "exit" || (this.recordTypes.get(record.t) ?? 0) > 0;
  }

  /** A history row holding media (or appended behind some); `row._step` names the step. */
  enqueueRow(row: Record<string, unknown>): void {
    if (this.items.length === 0 && this.sink.appendDeferred !== undefined && this.deferRow(row)) return;
    const step = row["_step"];
    const bindings: Binding[] = [];
    forEachPending(row, (media) => {
      const key = media.path[media.path.length - 1] ?? "media";
      bindings.push(this.bind(media, key, typeof step === "number" ? step : "summary"));
    });
    this.push({ kind: "row", at: Date.now(), value: row, bindings });
  }

  /**
   * Puts the row in the ring at once as a deferred row (deferred-row.ts): the writer worker
   * appends its files and the row as soon as they are written, whether or not this thread's
   * event loop turns. False when the row must wait here instead.
   */
  private deferRow(row: Record<string, unknown>): boolean {
    const step = row["_step"];
    const bound: Binding[] = [];
    const deferred = deferredRow(
      row,
      this.filesDir,
      (media, key) => {
        if (this.bindings.has(media) || typeof step !== "number") return null;
        const binding = this.bind(media, key, step);
        bound.push(binding);
        return binding.slots;
      },
      (value): value is PendingMedia => value instanceof PendingMedia,
    );
    const frames = deferred === null ? null : (this.sink.appendDeferred?.(JSON.stringify(deferred)) ?? null);
    if (frames === null) return false;
    for (const binding of bound) {
      binding.recorded = true;
      for (const slot of binding.slots) this.slotFrames[slot] = frames;
      this.posted.push(binding);
    }
    this.settlePosted(0);
    this.bound();
    return true;
  }

  /** Reads the results of deferred rows, oldest first (waiting up to `waitMs` for each). */
  private settlePosted(waitMs: number): void {
    for (let binding = this.posted[0]; binding !== undefined; binding = this.posted[0]) {
      if (!this.settle(binding, waitMs)) return;
      this.posted.shift();
      for (const file of binding.results)
        if (file !== null && file !== undefined) this.sink.fileRecorded?.(file.size);
    }
  }

  /** Waits for the oldest deferred row's files (its row is then written by the worker). */
  private settleOldestPosted(): void {
    const binding = this.posted[0];
    if (binding === undefined) return;
    this.settle(binding, this.fileWaitMs);
    this.settlePosted(0);
  }

  /** Any other record; media not bound yet (an explicit summary value) get the step `summary`. */
  enqueueRecord(record: RunRecord): void {
    const bindings: Binding[] = [];
    forEachPending(record, (media) => bindings.push(this.bind(media, media.path.join("."), "summary")));
    this.recordTypes.set(record.t, (this.recordTypes.get(record.t) ?? 0) + 1);
    this.push({ kind: "record", at: Date.now(), value: record, bindings });
  }

  /** Appends every item whose files are written, in order; `wait`: wait for the worker first. */
  drain(wait: boolean): void {
    if (this.draining) return;
    this.draining = true;
    // One deadline for the whole wait: files still pending then are left out (with a warning).
    const deadline = Date.now() + this.fileWaitMs;
    try {
      while (this.items.length > 0) {
        const item = this.items[0] as Item;
        const waitMs = wait ? Math.max(1, deadline - Date.now()) : 0;
        if (!this.settleAll(item.bindings, waitMs)) break;
        this.items.shift();
        if (item.kind === "record") {
          const type = (item.value as unknown as RunRecord).t;
          this.recordTypes.set(type, (this.recordTypes.get(type) ?? 1) - 1);
        }
        this.emit(item);
      }
      this.settlePosted(wait ? Math.max(1, deadline - Date.now()) : 0);
    } finally {
      this.draining = false;
    }
    if (this.items.length === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private settleAll(bindings: Binding[], waitMs: number): boolean {
    for (let i = 0; i < bindings.length; i++) if (!this.settle(bindings[i] as Binding, waitMs)) return false;
    return true;
  }

  /** Appends everything (waiting for the worker) and stops the worker. */
  close(): void {
    this.drain(true);
    this.threads.close();
  }

  /** PendingMedia.resolver: the value's JSON is wanted now (summary.json): wait for its files. */
  private readonly resolve = (media: PendingMedia): void => {
    const binding = this.bindings.get(media);
    if (binding !== undefined) this.settle(binding, this.fileWaitMs);
  };

  private push(item: Item): void {
    this.items.push(item);
    this.drain(false);
    this.bound();
    if (this.items.length > 0 && this.timer === null) {
      this.timer = setInterval(() => {
        this.drain(false);
        this.drainAged();
      }, DRAIN_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Backpressure: waits while too much data waits, or the work queued would take too long. */
  private bound(): void {
    const waiting = (): boolean => this.items.length > 0 || this.posted.length > 0;
    while (waiting() && this.pendingBytes > MAX_PENDING_BYTES) this.drainOne();
    while (waiting() && (this.pendingBytes * this.msPerByte) / MEDIA_THREADS > MAX_ROW_WAIT_MS)
      this.drainOne();
    this.drainAged();
  }

  /** Waits for the oldest items while they have waited MAX_ROW_WAIT_MS or longer. */
  private drainAged(): void {
    if (this.draining) return;
    const oldest = Date.now() - MAX_ROW_WAIT_MS;
    while (this.posted.length > 0 && (this.posted[0] as Binding).at <= oldest) this.settleOldestPosted();
    while (this.items.length > 0 && (this.items[0] as Item).at <= oldest) this.drainOne();
  }

  /** Waits for the oldest deferred row's files, or the oldest item's and appends it. */
  private drainOne(): void {
    if (this.posted.length > 0) {
      this.settleOldestPosted();
      return;
    }
    const item = this.items[0];
    if (item === undefined) return;
    this.settleAll(item.bindings, this.fileWaitMs);
    this.drain(false);
  }

  private bind(media: PendingMedia, key: string, step: number | "summary"): Binding {
    const existing = this.bindings.get(media);
    if (existing !== undefined) return existing;
    const files = media.logged.files;
    const binding: Binding = {
      media,
      key,
      step,
      slots: [],
      results: [],
      bytes: 0,
      ms: 0,
      done: false,
      recorded: false,
      at: Date.now(),
    };
    const jobs: MediaJob[] = [];
    const transfer: ArrayBuffer[] = [];
    let thread: MediaThread | null = null;
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as LoggedFile;
      // Written in settle() once the files before it are (media/filled-json-file.ts).
      if (file.content.kind === "filled-json") {
        binding.slots.push(-1);
        continue;
      }
      const slot = this.allocateSlot();
      binding.slots.push(slot);
      binding.bytes += contentBytes(file.content);
      thread ??= this.threads.take();
      thread.slots.add(slot);
      // A pooled buffer is shared with the thread (nothing copied, nothing allocated), an image's
      // job through its job ring (no postMessage); any other buffer is moved.
      const pooled = pooledBuffer(file.content);
      if (pooled !== null) {
        this.threads.hold(slot, pooled);
        if (this.threads.sendShared(thread, slot, key, step, file, pooled)) continue;
      }
      jobs.push({ slot, runDir: this.runDir, key, step, file });
      const buffer = pooled === null ? transferable(file.content) : null;
      if (buffer !== null && !transfer.includes(buffer)) transfer.push(buffer);
    }
    this.pendingBytes += binding.bytes;
    if (thread !== null && jobs.length > 0) thread.port.postMessage(jobs, transfer);
    media.resolver = this.resolve;
    this.bindings.set(media, binding);
    const { warnings, config } = media.logged;
    if (warnings !== undefined) for (const warning of warnings) this.sink.warn(warning, warning);
    if (config !== undefined && config.length > 0) this.setConfig(config, key);
    return binding;
  }

  /** Class labels and the like, written into the run config once per run. */
  private setConfig(config: ConfigEntry[], key: string): void {
    for (const entry of config) {
      const path = entry.path(key);
      const id = JSON.stringify(path);
      if (this.configSet.has(id)) continue;
      this.configSet.add(id);
      this.sink.setConfig(path, entry.valueFor?.(key) ?? entry.value);
    }
  }

  /**
   * The next free slot. A slot given up on (its file timed out) is RETIRED until its late result
   * lands: reusing it earlier would let that result be read as the new file's.
   */
  private allocateSlot(): number {
    for (let tried = 0; ; tried++) {
      const slot = this.nextSlot;
      this.nextSlot = (slot + 1) % RESULT_SLOTS;
      if (this.slotBusy[slot] === RETIRED) {
        // After a whole round of retired slots, wait for this one's late result.
        const waitMs = tried >= RESULT_SLOTS ? this.fileWaitMs : 0;
        if (this.results.read(slot, waitMs) === null) {
          if (tried >= 2 * RESULT_SLOTS)
            throw new Error("the media threads answer no more: every file slot timed out");
          continue;
        }
        this.threads.settled(slot);
        this.slotBusy[slot] = FREE;
      }
      while (this.slotBusy[slot] === BUSY && (this.items.length > 0 || this.posted.length > 0))
        this.drainOne();
      if (this.slotBusy[slot] !== FREE) continue;
      // A deferred row in the ring reads this slot's result: not reused before the worker has.
      const frames = this.slotFrames[slot] as number;
      if (frames !== 0) {
        this.sink.waitConsumed?.(frames);
        this.slotFrames[slot] = 0;
      }
      this.slotBusy[slot] = BUSY;
      this.results.reset(slot);
      return slot;
    }
  }

  /** Reads the binding's results (waiting up to `waitMs` for each); true once all are in. */
  private settle(binding: Binding, waitMs: number): boolean {
    if (binding.done) return true;
    const { media, slots } = binding;
    const files = media.logged.files;
    for (let i = binding.results.length; i < slots.length; i++) {
      const slot = slots[i] as number;
      const content = files[i]?.content;
      if (content?.kind === "filled-json") {
        const written = writeFilledJson(this.runDir, binding, files[i] as LoggedFile, content.template);
        if (typeof written === "string") media.failure ??= written;
        binding.results.push(typeof written === "string" ? null : written);
        continue;
      }
      const result = this.results.read(slot, waitMs);
      if (result === null) {
        if (waitMs === 0) return false;
        binding.results.push(null);
        media.failure ??= "the media worker did not write the file in time";
        this.slotBusy[slot] = RETIRED;
        continue;
      }
      this.slotBusy[slot] = FREE;
      this.threads.settled(slot);
      if (result.state === 2) {
        binding.results.push(null);
        media.failure ??= result.message;
        continue;
      }
      const file = files[i];
      const path = mediaFilePath(
        file?.dir ?? "media",
        binding.key,
        binding.step,
        result.sha256,
        file?.ext ?? "",
      );
      binding.results.push({ path, sha256: result.sha256, size: result.size });
      binding.ms += result.ms;
    }
    binding.done = true;
    this.pendingBytes -= binding.bytes;
    if (binding.bytes > 0 && binding.ms > 0) {
      const sample = binding.ms / binding.bytes;
      this.msPerByte = 0.8 * this.msPerByte + 0.2 * sample;
    }
    if (media.failure === null)
      media.resolved = fillTemplate(media.logged.json, binding.results as WrittenFile[]);
    else
      this.sink.warn(
        `media:${binding.key}:${media.failure}`,
        `a media file of ${binding.key} could not be written and is left out of its row: ${media.failure}`,
      );
    return true;
  }

  private emit(item: Item): void {
    for (let b = 0; b < item.bindings.length; b++) {
      const binding = item.bindings[b] as Binding;
      if (binding.recorded) continue;
      binding.recorded = true;
      for (let f = 0; f < binding.results.length; f++) {
        const file = binding.results[f];
        if (file === null || file === undefined) continue;
        // The path is already safe (safeMediaKey): joining it normalises nothing but costs garbage.
        const local = sep === "/" ? `${this.filesDir}/${file.path}` : join(this.filesDir, file.path);
        const { path, size, sha256 } = file;
        const record: RunRecord = {
          t: "file",
          path,
          source: { local },
          size,
          sha256,
          policy: "now",
          time: Date.now() / 1000,
        };
        if (this.sink.appendRecordJson === undefined) this.sink.appendRecord(record);
        else this.sink.appendRecordJson(JSON.stringify(record));
        this.sink.fileRecorded?.(file.size);
      }
    }
    const value = withMediaJson(item.value) as Record<string, unknown>;
    if (item.kind === "row") this.sink.appendRow(value);
    else this.sink.appendRecord(value as unknown as RunRecord);
  }
}
