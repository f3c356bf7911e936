/**
 * Uploads one run directory by replaying its record log: the log stays the source of truth and
 * `upload-state.json` says how much of it the server has acknowledged. One request is in flight
 * at a time; while it travels the next batch is read from the log. Failures are retried with
 * backoff and full jitter, an offset gap rewinds to what the server really has, and any other
 * refusal stops the upload (the data stays local for `stepwise sync`).
 *
 * "live" follows a log that its run is still writing (heartbeats when idle, done once the exit
 * record is acknowledged); "sync" uploads what the log holds and ends.
 */
import type { StreamName, StreamOffsets } from "@stepwise/protocol";
import { STREAMS } from "@stepwise/protocol";
import { FILE_HEADER_BYTES } from "../runlog/log-format.js";
import { Backoff } from "./backoff.js";
import { BatchBuilder, type SealedBatch } from "./batch-builder.js";
import { encodeBatch, IngestClient, type EncodedBatch, type SendResult } from "./ingest-client.js";
import { LogTail, type LogSource } from "./log-tail.js";
import { putQuarantineNote } from "./quarantine-note.js";
import { isRecordRefusal, RecordIsolation } from "./record-isolation.js";
import { settleSideQueues } from "./settle-side-queues.js";
import type { UploadOutcome, UploadSessionOptions } from "./upload-session-options.js";
import { readUploadState, writeUploadState, type UploadState } from "./upload-state.js";

const MAX_GAP_RECOVERIES = 5;
/** Records read between two looks at the event loop while a request is in flight (~1–5 ms). */
const FILL_SLICE = 1000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class UploadSession {
  private readonly client: IngestClient;
  private readonly backoff: Backoff;
  private state: UploadState;
  private tail: LogSource | null = null;
  private builder: BatchBuilder;
  private finishing = false;
  /** Set by finish(false): the log will not get its exit record; stop once it is all sent. */
  private endsAtLogEnd = false;
  /** Set once saving upload-state.json failed: progress is kept in memory and saved when possible. */
  private stateUnsaved = false;
  private cancelled = false;
  private preempting = false;
  private reachable: boolean | null = null;
  private wake: (() => void) | null = null;
  /** A heartbeat is due heartbeatMs after the last request (the first batch is the run record). */
  private lastSendAt = Date.now();
  private gapRecoveries = 0;
  /** Set when a gap recovery rewinds the log. */
  private rewound = false;
  /** Finds and sets aside records the server refuses for good, so the rest still uploads. */
  private readonly isolation: RecordIsolation;
  /** Stream items sent and acknowledged in this session. */
  sentItems = 0;
  requests = 0;

  constructor(private readonly options: UploadSessionOptions) {
    this.client = new IngestClient(options.target, options.ref, options.tuning.requestTimeoutMs);
    this.backoff = new Backoff(options.tuning.backoffBaseMs, options.tuning.backoffCapMs);
    this.state = options.initialState ?? readUploadState(options.runDir);
    this.builder = new BatchBuilder(
      this.state.base,
      { logOffset: this.state.logOffset, below: this.state.offsets },
      { rows: options.tuning.maxBatchRows, bytes: options.tuning.maxBatchBytes },
    );
    if (options.continues) this.builder.continueStoredRun(options.continues);
    this.isolation = new RecordIsolation(options.runDir, () => this.builder);
    this.builder.quarantined = this.isolation.offsets;
  }

  /** Records the server refused and this run directory keeps aside (quarantine.jsonl). */
  get quarantine(): { records: number; firstReason: string | null; file: string } {
    return this.isolation.summary();
  }

  get acknowledged(): UploadState {
    return this.state;
  }

  /**
   * The run has finished writing: send everything now and retry promptly. `logComplete: false`
   * when the log lacks its last records (its disk was full): end once what it has is sent.
   */
  finish(logComplete = true): void {
    this.finishing = true;
    this.endsAtLogEnd = !logComplete;
    this.backoff.reset();
    this.backoff.capAt(1000);
    this.poke();
  }

  markPreempting(): void {
    this.preempting = true;
    this.poke();
  }

  cancel(): void {
    this.cancelled = true;
    this.options.files?.cancel();
    this.options.artifacts?.cancel();
    this.poke();
  }

  async run(): Promise<UploadOutcome> {
    this.tail =
      this.options.openLog?.() ??
      new LogTail(this.options.logFile, (message) => this.warn("log-damage", message));
    try {
      return await settleSideQueues(await this.loop(), {
        files: this.options.files,
        artifacts: this.options.artifacts,
        logFile: this.options.logFile,
        serverId: () => this.state.serverId,
        cancelled: () => this.cancelled,
        warn: (cause, message) => this.warn(cause, message),
      });
    } finally {
      this.tail.close();
    }
  }

  private async loop(): Promise<UploadOutcome> {
    const tail = this.tail as LogSource;
    const live = this.options.mode === "live";
    /** The next batch, sealed and encoded while the previous one was in flight. */
    let next: { sealed: SealedBatch; encoded: Promise<EncodedBatch> } | null = null;
    for (;;) {
      if (this.cancelled) return { kind: "cancelled" };
      // A batch sealed ahead goes out before the log is read further: reading first left the
      // server idle while the uploader read the next batch, then the uploader idle while the
      // server applied this one (each ~45% busy in a 1M-row profile instead of both working).
      if (next === null) this.fill(tail);
      const builder = this.builder;
      const now = Date.now();
      const flushDue =
        builder.full ||
        (builder.hasContent &&
          (!live ||
            this.finishing ||
            now - (builder.openedAt ?? now) >= this.options.tuning.flushIntervalMs));
      const heartbeatDue = live && now - this.lastSendAt >= this.options.tuning.heartbeatMs;
      if (next !== null || flushDue || this.preempting || heartbeatDue) {
        const sealed = next?.sealed ?? this.seal(this.preempting);
        if (next === null) this.preempting = false;
        const sending = this.deliver(sealed, next?.encoded);
        next = null;
        this.rewound = false;
        let settled = false;
        const settle = (): void => {
          settled = true;
        };
        void sending.then(settle, settle);
        // The request travels while the next batch is read, a slice at a time: the request is
        // written only once this turn of the event loop ends (and a large body needs more turns),
        // and its answer is read only between slices. Reading a whole batch in one go (20–90 ms)
        // held the request back, so the uploader and the server took turns instead of overlapping.
        await yieldToEventLoop();
        while (!settled && !this.rewound && this.fill(tail, FILL_SLICE)) await yieldToEventLoop();
        // When the next batch is already full it is sealed and encoded now too, so the server
        // never waits for the uploader between batches (not after a rewind: it is read again).
        if (!this.rewound && builder.full && !sealed.hasExit && !this.preempting) {
          const following = this.seal(false);
          next = {
            sealed: following,
            encoded: encodeBatch(following.batch, following.history, this.options.target),
          };
        }
        const outcome = await sending;
        if (outcome !== null) return outcome;
        // A gap recovery rewound the log: the batch sealed ahead is stale and is read again.
        if (this.rewound) next = null;
        if (sealed.hasExit && this.state.logOffset >= sealed.endOffset) return { kind: "complete" };
        continue;
      }
      if ((!live || this.endsAtLogEnd) && !builder.hasContent) {
        if (builder.position > this.state.logOffset) this.acknowledge(builder.position, this.state.offsets);
        return { kind: "caught-up" };
      }
      await this.sleep(this.options.tuning.pollMs);
    }
  }

  /** The open batch, sealed; `stepwise sync` marks its batches as replays (see IngestBatch.replay). */
  private seal(preempting: boolean): SealedBatch {
    const sealed = this.builder.take(preempting);
    if (this.options.mode === "sync") sealed.batch.replay = true;
    return sealed;
  }

  /** Reads records into the open batch until it is full, the log has no more, or `max` were read (then true). */
  private fill(tail: LogSource, max = Infinity): boolean {
    for (let read = 0; !this.builder.full; read++) {
      if (read === max) return true;
      const entry = tail.next();
      if (entry === null) return false;
      if (entry.record.t === "file") this.options.files?.add(entry.record, entry.offset);
      else if (entry.record.t === "artifact") this.options.artifacts?.add(entry.record);
      this.builder.add(entry);
    }
    return false;
  }

  /** Sends one batch until it is acknowledged; null on success, else how the session ends. */
  private async deliver(
    sealed: SealedBatch,
    encodedAhead?: Promise<EncodedBatch>,
  ): Promise<UploadOutcome | null> {
    const encoded = await (encodedAhead ?? encodeBatch(sealed.batch, sealed.history, this.options.target));
    let unreachableSince: number | null = null;
    for (;;) {
      if (this.cancelled) return { kind: "cancelled" };
      this.requests++;
      this.lastSendAt = Date.now();
      const result: SendResult = await this.client.send(encoded);
      if (result.kind === "retry") {
        this.setReachable(false, result.reason);
        unreachableSince ??= Date.now();
        const giveUp = this.options.giveUpAfterMs;
        if (giveUp !== undefined && Date.now() - unreachableSince >= giveUp)
          return {
            kind: "failed",
            message: `server not reachable at ${this.options.target.baseUrl} (${result.reason})`,
          };
        await this.sleep(this.backoff.nextDelayMs(result.retryAfterMs));
        continue;
      }
      this.setReachable(true, "");
      this.backoff.reset();
      if (
        result.kind === "fatal" &&
        sealed.records > 0 &&
        isRecordRefusal(result.status, result.code, result.message)
      )
        return this.setAside(sealed, result.status, result.message);
      if (result.kind === "fatal") {
        const message = `the server refused the upload of ${this.options.runDir} (HTTP ${result.status}: ${result.message})`;
        // sync reports a refusal in its result; a live run says it once, with what to do.
        if (this.options.mode === "live")
          this.warn(
            "refused",
            `${message}; the run stays on local disk: fix the cause, then run \`npx stepwise sync ${this.options.runDir}\``,
          );
        return { kind: "failed", message, ...(result.code !== undefined ? { code: result.code } : {}) };
      }
      if (result.kind === "gap") return this.recoverFromGap(result.stream, result.expected);
      if (result.response.stopped) this.options.events?.onStopRequested?.();
      this.state.serverName = result.response.name;
      this.state.serverId = result.response.serverId ?? this.state.serverId;
      this.sentItems += sealed.items;
      this.acknowledge(sealed.endOffset, sealed.offsets);
      this.isolation.acknowledged(sealed.endOffset);
      this.options.files?.runAcknowledged();
      this.options.artifacts?.runAcknowledged();
      this.options.events?.onAck?.(this.state, sealed.items);
      if (this.isolation.noteDue) await this.sendQuarantineNote();
      return null;
    }
  }

  /**
   * Records what the server has. Saving it may fail (a full disk): the upload goes on from
   * memory, the save is tried again at the next acknowledgement, and a later `stepwise sync`
   * at worst re-sends batches the server already has, which changes nothing.
   */
  private acknowledge(logOffset: number, offsets: StreamOffsets): void {
    this.state = { ...this.state, logOffset, offsets: { ...offsets } };
    try {
      writeUploadState(this.options.runDir, this.state);
      this.stateUnsaved = false;
    } catch (error) {
      if (!this.stateUnsaved)
        this.warn(
          `state-unsaved-${String((error as { code?: unknown }).code)}`,
          `cannot save upload progress in ${this.options.runDir} (${String(error)}); uploading continues from memory`,
        );
      this.stateUnsaved = true;
    }
  }

  /**
   * The server has less than this session believes (it lost acknowledged data, or the state
   * file is stale): re-read the log from its first record and send what the server lacks.
   */
  private async recoverFromGap(
    stream: StreamName | null,
    expected: number | null,
  ): Promise<UploadOutcome | null> {
    if (++this.gapRecoveries > MAX_GAP_RECOVERIES)
      return { kind: "failed", message: "the server keeps reporting offset gaps; giving up" };
    const server: StreamOffsets = { ...this.state.base };
    const lookup = await this.client.lookup();
    if (lookup.kind === "found") Object.assign(server, lookup.run.offsets);
    else if (stream !== null && expected !== null) server[stream] = expected;
    const behind = STREAMS.find((s) => server[s] < this.state.base[s]);
    if (behind !== undefined) {
      const message = `the server has fewer ${behind} items (${server[behind]}) than ${this.options.runDir} starts from (${this.state.base[behind]}); sync the run's earlier directories first`;
      this.warn("gap", message);
      return { kind: "failed", message };
    }
    this.warn(
      "gap-recovery",
      `the server is missing data it had acknowledged; re-sending from the run log (${this.options.runDir})`,
    );
    this.tail?.rewind();
    this.rewound = true;
    this.builder.reset(this.state.base, { logOffset: FILE_HEADER_BYTES, below: server });
    this.state = { ...this.state, logOffset: FILE_HEADER_BYTES, offsets: { ...this.state.base } };
    return null;
  }

  /**
   * The server refused `sealed` for what it holds: narrow the batches down to the refused record
   * and quarantine it (record-isolation.ts), then read the log again from the last acknowledged
   * record, as after a gap but keeping what the server has.
   */
  private setAside(sealed: SealedBatch, status: number, message: string): null {
    const kind = this.isolation.refused(sealed, status, message);
    if (kind !== null) {
      const { records, file } = this.isolation.summary();
      this.warn(
        "quarantine",
        `the server refused a ${kind} record for good (HTTP ${status}: ${message}); it is kept in ${file} and the rest of the run uploads (${records} record${records === 1 ? "" : "s"} set aside so far)`,
      );
    }
    this.tail?.rewind();
    this.rewound = true;
    this.builder.reset(this.state.base, { logOffset: this.state.logOffset, below: this.state.offsets });
    return null;
  }

  private async sendQuarantineNote(): Promise<void> {
    const { records, firstReason, file } = this.isolation.summary();
    if (records === 0 || firstReason === null) return;
    const note = { records, firstReason, localFile: file, updatedAt: Date.now() / 1000 };
    const { target, ref, tuning } = this.options;
    if (await putQuarantineNote(target, ref, note, tuning.requestTimeoutMs)) this.isolation.noteDue = false;
  }

  private setReachable(reachable: boolean, reason: string): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.options.events?.onReachable?.(reachable, reason);
  }

  private warn(cause: string, message: string): void {
    this.options.events?.onWarning?.(cause, message);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private poke(): void {
    this.wake?.();
  }
}
