/**
 * The upload worker's (and `stepwise sync`'s) artifact side: `artifact` records read from the
 * run log wait until the server knows the run (its first acknowledged batch), then are
 * committed one at a time (artifact-commit.ts: only missing content is uploaded). Failures the
 * server or the network may recover from (no answer, 5xx, missing content) are retried with
 * backoff; when given up (sync's deadline, finish's timeout) the record stays **pending**. A
 * refusal (any other 4xx: a name or type rule, a source file changed) is given up with one
 * warning naming the artifact and the server's words, and kept as **refused**: offering the
 * same record again would be refused again. `<run-dir>/artifact-state.json` keeps all three
 * (committed: id → version; pending: id → record; refused: id → why), so a later session (a
 * `stepwise sync` that starts after the log's end) still commits what is pending and reports
 * what was refused; one committed but not noted there (a crash in between) is offered again
 * and answered `unchanged`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  StepwiseError,
  type ArtifactRecord,
  type ArtifactVersionDto,
  type ErrorCode,
  type RunRef,
} from "@stepwise/protocol";
import { FileChangedError } from "../files/file-client.js";
import { Backoff } from "../upload/backoff.js";
import type { ServerTarget } from "../upload/server-target.js";
import { commitArtifactRecord } from "./artifact-commit.js";
import { commitDistributedRecord } from "./distributed-commit.js";

export const ARTIFACT_STATE_FILE = "artifact-state.json";

export interface ArtifactQueueOptions {
  runDir: string;
  ref: RunRef;
  target: ServerTarget;
  /** sync: give up on an unreachable server after this long without progress. */
  giveUpAfterMs?: number;
  onWarning: (cause: string, message: string) => void;
  /** A record committed (or found committed): its version (null: an upsert the server holds, not committed yet). */
  onCommitted?: (id: string, version: ArtifactVersionDto | null) => void;
  /** A record given up (refused): why, and the server's error code when it answered one. */
  onFailed?: (id: string, message: string, code: ErrorCode | null) => void;
  /** Bytes of artifact content sent, as they go. */
  onProgress?: (bytes: number) => void;
}

export interface ArtifactQueueStats {
  committed: number;
  /** Not committed: refused + left pending. */
  failed: number;
  bytesSent: number;
  firstFailure: string | null;
  /** Given up after a failure that may pass (network, 5xx): a later `stepwise sync` commits them. */
  pending: number;
  /** Refused by the server for good (this session or an earlier one): which, and the server's words. */
  refused: ArtifactRefusal[];
}

export interface ArtifactRefusal {
  id: string;
  name: string;
  message: string;
}

interface State {
  version: 1;
  /** id → version; null for an upsert (distributed) the server holds in its pending version. */
  committed: Record<string, ArtifactVersionDto | null>;
  pending?: Record<string, ArtifactRecord>;
  refused?: Record<string, { name: string; message: string; code?: ErrorCode }>;
}

export class ArtifactQueue {
  private readonly waiting: ArtifactRecord[] = [];
  private readonly seen = new Set<string>();
  private readonly state: State;
  private runKnown = false;
  private cancelled = false;
  private running: Promise<void> | null = null;
  /** Ends the backoff pause under way (cancel). */
  private wake: (() => void) | null = null;
  /** Stops the uploads under way (cancel). */
  private readonly abort = new AbortController();
  private readonly stats: ArtifactQueueStats = {
    committed: 0,
    failed: 0,
    bytesSent: 0,
    firstFailure: null,
    pending: 0,
    refused: [],
  };

  constructor(private readonly options: ArtifactQueueOptions) {
    this.state = readState(join(options.runDir, ARTIFACT_STATE_FILE));
    // Records an earlier session left pending: the log may be read from past them.
    for (const record of Object.values(this.state.pending ?? {})) this.add(record);
  }

  add(record: ArtifactRecord): void {
    if (this.seen.has(record.id)) return;
    this.seen.add(record.id);
    const done = this.state.committed[record.id];
    if (done !== undefined) {
      this.options.onCommitted?.(record.id, done);
      return;
    }
    const refused = this.state.refused?.[record.id];
    if (refused !== undefined) {
      this.stats.failed++;
      this.stats.firstFailure ??= refused.message;
      this.stats.refused.push({ id: record.id, ...refused });
      this.options.onFailed?.(record.id, refused.message, refused.code ?? null);
      return;
    }
    if (this.state.pending?.[record.id] === undefined) {
      this.state.pending = { ...this.state.pending, [record.id]: record };
      this.save();
    }
    this.waiting.push(record);
    this.pump();
  }

  /** The server has the run record: commits may name it as their producer. */
  runAcknowledged(): void {
    if (this.runKnown) return;
    this.runKnown = true;
    this.pump();
  }

  /** Resolves once every record added is committed or given up (or the queue is cancelled). */
  async drain(): Promise<ArtifactQueueStats> {
    // Drained once the log's records are on the server: the run exists there.
    this.runKnown = true;
    while (this.running !== null || (this.waiting.length > 0 && this.runKnown && !this.cancelled)) {
      this.pump();
      await this.running;
    }
    return this.currentStats();
  }

  cancel(): void {
    this.cancelled = true;
    this.abort.abort(new Error("the upload was cancelled"));
    this.wake?.();
  }

  currentStats(): ArtifactQueueStats {
    return { ...this.stats, refused: [...this.stats.refused] };
  }

  private pump(): void {
    if (this.running !== null || !this.runKnown || this.cancelled || this.waiting.length === 0) return;
    this.running = this.work().finally(() => {
      this.running = null;
    });
  }

  private async work(): Promise<void> {
    while (!this.cancelled) {
      const record = this.waiting[0];
      if (record === undefined) return;
      await this.commit(record);
      this.waiting.shift();
    }
  }

  private async commit(record: ArtifactRecord): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    let lastProgress = Date.now();
    for (;;) {
      try {
        const progress = (bytes: number): void => {
          lastProgress = Date.now();
          this.stats.bytesSent += bytes;
          this.options.onProgress?.(bytes);
        };
        const { target, ref } = this.options;
        const version =
          record.distributed === undefined
            ? (await commitArtifactRecord(target, ref, record, progress, this.abort.signal)).response.version
            : (
                await commitDistributedRecord(
                  target,
                  ref,
                  { ...record, distributed: record.distributed },
                  progress,
                  this.abort.signal,
                )
              ).version;
        this.state.committed[record.id] = version;
        delete this.state.pending?.[record.id];
        this.save();
        this.stats.committed++;
        this.options.onCommitted?.(record.id, version);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const retry = isRetryable(error);
        const expired =
          this.options.giveUpAfterMs !== undefined && Date.now() - lastProgress > this.options.giveUpAfterMs;
        if (!retry || expired || this.cancelled) {
          const code = error instanceof StepwiseError ? error.code : null;
          this.giveUp(record, message, code, !retry && !this.cancelled);
          return;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff.nextDelayMs());
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  private giveUp(record: ArtifactRecord, message: string, code: ErrorCode | null, refused: boolean): void {
    this.stats.failed++;
    this.stats.firstFailure ??= message;
    if (refused) {
      delete this.state.pending?.[record.id];
      const why = { name: record.name, message, ...(code === null ? {} : { code }) };
      this.state.refused = { ...this.state.refused, [record.id]: why };
      this.save();
      this.stats.refused.push({ id: record.id, name: record.name, message });
      this.options.onWarning(
        "artifact-refused",
        `artifact ${record.name} was refused by the server and is not committed: ${message}; log it again once fixed`,
      );
    } else {
      this.stats.pending++;
      if (!this.cancelled)
        this.options.onWarning(
          "artifact-failed",
          `artifact ${record.name} is not committed yet (${message}); it is kept pending: run \`npx stepwise sync ${this.options.runDir}\``,
        );
    }
    this.options.onFailed?.(record.id, message, code);
  }

  private save(): void {
    const file = join(this.options.runDir, ARTIFACT_STATE_FILE);
    const temp = `${file}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(this.state) + "\n");
      renameSync(temp, file);
    } catch (error) {
      this.options.onWarning("artifact-state", `could not write ${file}: ${String(error)}`);
    }
  }
}

/** What artifact-state.json in `runDir` says of the run's artifacts not committed (run.status()). */
export function artifactOutcome(runDir: string): { pending: number; refused: ArtifactRefusal[] } {
  const state = readState(join(runDir, ARTIFACT_STATE_FILE));
  return {
    pending: Object.keys(state.pending ?? {}).length,
    refused: Object.entries(state.refused ?? {}).map(([id, why]) => ({ id, ...why })),
  };
}

/** The versions of the records committed so far in `runDir` (artifact-state.json), by record id. */
export function committedArtifacts(runDir: string): Record<string, ArtifactVersionDto | null> {
  return readState(join(runDir, ARTIFACT_STATE_FILE)).committed;
}

function readState(file: string): State {
  if (!existsSync(file)) return { version: 1, committed: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as State;
    if (parsed.version === 1 && typeof parsed.committed === "object") return parsed;
  } catch {
    // A damaged state only costs offering the commits again (answered `unchanged`).
  }
  return { version: 1, committed: {} };
}

/** Whether the failure may pass: no answer, a 5xx, content that went missing. Else a refusal. */
function isRetryable(error: unknown): boolean {
  // A source file changed or removed since the artifact was logged: its sealed content is gone.
  if (error instanceof FileChangedError) return false;
  // Not the server's answer (an aborted or broken connection): worth another try.
  if (!(error instanceof StepwiseError)) return true;
  if (
    ["UNAVAILABLE", "STORAGE_FULL", "CONTENT_MISSING", "UPLOAD_OFFSET", "CONTENT_MISMATCH"].includes(
      error.code,
    )
  )
    return true;
  return error.httpStatus >= 500 && error.code !== "STORE_CORRUPT";
}
