/**
 * The run's side of the file channel: every file to upload becomes a `file` record in the run
 * log, through the same writer as history (so it survives a crash like history does, and the
 * upload worker, or `stepwise sync`, reads it from there). Nothing here waits for the network
 * or reads a saved file; inline content is only the SDK's own small JSON.
 *
 * It also keeps the run's `config.json` and `summary.json` on the server: recorded at start,
 * again every 30 s when they changed (checked on an unref'd timer, so a busy training loop only
 * delays it), and at finish, before the exit record, so finish() waits for them like for records.
 */
import { createHash } from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FilePolicy, FileRecord } from "@stepwise/protocol";
import type { RunLogWriter } from "../runlog/run-log-writer.js";
import { gatherRunFiles, staticMetadata, type GatheredRunFiles } from "./run-metadata.js";

/** What a run file's status counts need: its size, or the local file to stat. */
interface Recorded {
  bytes: number | null;
  local: string | null;
}

export interface JsonFileSources {
  config(): string;
  /**
   * summary.json's text; null to skip this periodic check (media in it still being written:
   * only the final one, `final` true, waits for them).
   */
  summary(final: boolean): string | null;
}

const JSON_FILES_INTERVAL_MS = 30_000;
/**
 * A check skipped for media still being written is tried again after a second; after this many
 * skips in a row it waits for them (the media queue holds a row at most ~200 ms, so the wait is
 * short) so that a run logging images non-stop still gets its summary.json.
 */
const SUMMARY_RETRY_MS = 1000;
const MAX_SUMMARY_SKIPS = 5;

export class RunFiles {
  private readonly recorded: Recorded[] = [];
  private closed = false;
  private readonly lastText = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private gathering: Promise<void> | null = null;
  /** metadata.json and diff.patch once gathered, until recorded. */
  private gathered: (GatheredRunFiles & { runDir: string }) | null = null;
  private metadataRecorded = false;
  private startedAt = new Date();
  private summarySkips = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly writer: RunLogWriter,
    private readonly json: JsonFileSources,
  ) {}

  /**
   * Records config.json now, starts the periodic check of config.json and summary.json, and
   * gathers metadata.json and diff.patch in the background (run-metadata.ts).
   */
  start(runDir: string, startedAt: Date): void {
    this.startedAt = startedAt;
    this.recordJsonFiles();
    this.gathering = gatherRunFiles(startedAt)
      .then((gathered) => {
        this.gathered = { ...gathered, runDir };
        this.recordGathered();
      })
      .catch(() => undefined);
    this.timer = setInterval(() => this.recordJsonFiles(), JSON_FILES_INTERVAL_MS);
    this.timer.unref();
  }

  /** A file on this machine, read later by the uploader (size and sha256 when already known). */
  recordLocal(
    path: string,
    local: string,
    policy: FilePolicy,
    known?: { size: number; sha256: string },
  ): void {
    this.append(
      {
        t: "file",
        path,
        source: { local },
        size: known?.size ?? null,
        sha256: known?.sha256 ?? null,
        policy,
        time: Date.now() / 1000,
      },
      { bytes: known?.size ?? null, local },
    );
  }

  /** Small generated content (JSON), kept in the log itself. */
  recordInline(path: string, bytes: Uint8Array, contentType?: string): void {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    this.append(
      {
        t: "file",
        path,
        source: { inline: Buffer.from(bytes).toString("base64") },
        size: bytes.length,
        sha256,
        ...(contentType !== undefined ? { contentType } : {}),
        policy: "now",
        time: Date.now() / 1000,
      },
      { bytes: bytes.length, local: null },
    );
  }

  /**
   * A `file` record the run log writer appended itself (a media file, runlog/media-queue.ts):
   * counted like the others in `count` and `unseen`, so that `status()` includes it.
   */
  noteRecorded(bytes: number): void {
    this.recorded.push({ bytes, local: null });
  }

  /** Waits (at most `timeoutMs`) for metadata.json and diff.patch, so that finish() sends them. */
  async whenGathered(timeoutMs: number): Promise<void> {
    if (this.gathering === null) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.gathering, timeout]);
    clearTimeout(timer);
  }

  /**
   * The last config.json and summary.json (and metadata.json without git and GPU fields when
   * gathering them has not ended), before the exit record; nothing is recorded after.
   */
  close(): void {
    if (this.closed) return;
    this.recordGathered();
    if (!this.metadataRecorded)
      this.recordMetadata({ ...staticMetadata(this.startedAt), git: null, gpu: [], gpuCount: 0 });
    this.recordJsonFiles(true);
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.retry !== null) clearTimeout(this.retry);
  }

  /** Files recorded by this process. */
  get count(): number {
    return this.recorded.length;
  }

  /** Files and bytes recorded after the first `seen` (those the uploader has not read yet). */
  unseen(seen: number): { files: number; bytes: number } {
    let bytes = 0;
    const rest = this.recorded.slice(Math.max(0, seen));
    for (const file of rest)
      bytes +=
        file.bytes ??
        (file.local === null ? 0 : (statSync(file.local, { throwIfNoEntry: false })?.size ?? 0));
    return { files: rest.length, bytes };
  }

  private recordMetadata(metadata: object): void {
    if (this.diskRefuses()) return;
    this.metadataRecorded = true;
    this.recordInline(
      "metadata.json",
      Buffer.from(JSON.stringify(metadata, null, 2) + "\n"),
      "application/json",
    );
  }

  private recordGathered(): void {
    const gathered = this.gathered;
    if (gathered === null || this.closed || this.diskRefuses()) return;
    this.gathered = null;
    try {
      if (gathered.diff !== null) {
        const local = join(gathered.runDir, "files", "diff.patch");
        writeFileSync(local, gathered.diff);
        const sha256 = createHash("sha256").update(gathered.diff).digest("hex");
        this.recordLocal("diff.patch", local, "now", { size: gathered.diff.length, sha256 });
      }
    } catch {
      // diff.patch could not be written locally: the run goes on without it
    }
    this.recordMetadata(gathered.metadata);
  }

  private recordJsonFiles(final = false): void {
    if (this.closed) return;
    this.recordGathered();
    try {
      this.recordIfChanged("config.json", this.json.config());
      const summary = this.json.summary(final || this.summarySkips >= MAX_SUMMARY_SKIPS);
      this.summarySkips = summary === null ? this.summarySkips + 1 : 0;
      if (summary !== null) this.recordIfChanged("summary.json", summary);
      else if (this.retry === null) {
        this.retry = setTimeout(() => {
          this.retry = null;
          this.recordJsonFiles();
        }, SUMMARY_RETRY_MS);
        this.retry.unref();
      }
    } catch {
      // a value that cannot be written as JSON: the history and summary records still hold it
    }
  }

  /**
   * The run's own files are left out while the run log's disk refuses writes: they would only be
   * held and then dropped, counted as lost records; the next check (or finish) records them
   * once the disk takes writes again. Files given to save() are always recorded.
   */
  private diskRefuses(): boolean {
    return this.writer.diskReport().problem !== null;
  }

  private recordIfChanged(path: string, text: string): void {
    if (this.lastText.get(path) === text || this.diskRefuses()) return;
    this.lastText.set(path, text);
    this.recordInline(path, Buffer.from(text, "utf8"), "application/json");
  }

  private append(record: FileRecord, recorded: Recorded): void {
    if (this.closed) return;
    this.writer.append(record);
    this.recorded.push(recorded);
  }
}
