/**
 * The upload worker's (and `stepwise sync`'s) artifact side: `artifact` records read from the
 * run log wait until the server knows the run (its first acknowledged batch), then are
 * committed one at a time (artifact-commit.ts: only missing content is uploaded). Failures the
 * server or the network may recover from are retried with backoff; a refusal is given up with
 * one warning (the record stays in the log for `stepwise sync`). Committed records are kept in
 * `<run-dir>/artifact-state.json` (id → version), so a later session skips them; one committed
 * but not noted there (a crash in between) is offered again and answered `unchanged`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StepwiseError, type ArtifactRecord, type ArtifactVersionDto, type RunRef } from "@stepwise/protocol";
import { FileChangedError } from "../files/file-client.js";
import { Backoff } from "../upload/backoff.js";
import type { ServerTarget } from "../upload/server-target.js";
import { commitArtifactRecord } from "./artifact-commit.js";

export const ARTIFACT_STATE_FILE = "artifact-state.json";

export interface ArtifactQueueOptions {
  runDir: string;
  ref: RunRef;
  target: ServerTarget;
  /** sync: give up on an unreachable server after this long without progress. */
  giveUpAfterMs?: number;
  onWarning: (cause: string, message: string) => void;
  /** A record committed (or found committed): its version. */
  onCommitted?: (id: string, version: ArtifactVersionDto) => void;
  /** A record given up (refused): why. */
  onFailed?: (id: string, message: string) => void;
  /** Bytes of artifact content sent, as they go. */
  onProgress?: (bytes: number) => void;
}

export interface ArtifactQueueStats {
  committed: number;
  failed: number;
  bytesSent: number;
  firstFailure: string | null;
}

interface State {
  version: 1;
  committed: Record<string, ArtifactVersionDto>;
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
  private readonly stats: ArtifactQueueStats = { committed: 0, failed: 0, bytesSent: 0, firstFailure: null };

  constructor(private readonly options: ArtifactQueueOptions) {
    this.state = readState(join(options.runDir, ARTIFACT_STATE_FILE));
  }

  add(record: ArtifactRecord): void {
    if (this.seen.has(record.id)) return;
    this.seen.add(record.id);
    const done = this.state.committed[record.id];
    if (done !== undefined) {
      this.options.onCommitted?.(record.id, done);
      return;
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
    return { ...this.stats };
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
        const result = await commitArtifactRecord(
          this.options.target,
          this.options.ref,
          record,
          (bytes) => {
            lastProgress = Date.now();
            this.stats.bytesSent += bytes;
            this.options.onProgress?.(bytes);
          },
          this.abort.signal,
        );
        const version = result.response.version;
        this.state.committed[record.id] = version;
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
          this.stats.failed++;
          this.stats.firstFailure ??= message;
          if (!this.cancelled)
            this.options.onWarning(
              "artifact-failed",
              `artifact ${record.name} was not committed (${message}); it stays in the run log: run \`npx stepwise sync ${this.options.runDir}\``,
            );
          this.options.onFailed?.(record.id, message);
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

/** The versions of the records committed so far in `runDir` (artifact-state.json), by record id. */
export function committedArtifacts(runDir: string): Record<string, ArtifactVersionDto> {
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

function isRetryable(error: unknown): boolean {
  // A source file changed or removed since the artifact was logged: its sealed content is gone.
  if (!(error instanceof StepwiseError) || error instanceof FileChangedError) return false;
  return ["UNAVAILABLE", "STORAGE_FULL", "CONTENT_MISSING", "UPLOAD_OFFSET", "CONTENT_MISMATCH"].includes(
    error.code,
  );
}
