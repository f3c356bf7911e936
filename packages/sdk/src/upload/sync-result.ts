/** What `syncRunDirectory` (sync-run-directory.ts) is asked to do, and what it answers per run directory. */
import type { RunLogIssue } from "../runlog/run-log-reader.js";
import type { ArtifactQueueStats } from "../artifacts/artifact-queue.js";
import type { QuarantineSummary } from "./quarantine.js";
import type { SyncRows } from "./sync-log.js";

export interface SyncOptions {
  /** Default: STEPWISE_BASE_URL, then the credentials file of `stepwise login`, then http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Default: STEPWISE_API_KEY, then the credentials file, then none. */
  apiKey?: string;
  /** Give up on a run after this long without reaching the server (default 30 s, STEPWISE_SYNC_GIVE_UP_S). */
  giveUpAfterMs?: number;
  /** After every acknowledged batch: bytes of the log acknowledged so far, of `totalBytes`. */
  onProgress?: (progress: { ackedBytes: number; totalBytes: number; items: number }) => void;
  onWarning?: (message: string) => void;
  /**
   * When the server refuses the run id (WRITER_CONFLICT: another process wrote that run):
   * `resume` appends this directory to the stored run after its last step, `new-id` uploads it
   * as a run of its own. The choice is kept (sync-target.ts) for later syncs of the directory.
   * Without it, such a run ends `conflict` and nothing is stored.
   */
  onConflict?: "resume" | "new-id";
}

export interface SyncResult {
  dir: string;
  /** `entity/project/id`, or null when the log holds no run record. */
  run: string | null;
  /**
   * synced: the server has every row the log holds now; already-synced: it had them, nothing was
   * sent; running: skipped, its process uploads it; failed: the server lacks readable rows;
   * conflict: the server has this run id from another writer, and nothing was stored (see
   * `onConflict`).
   */
  status: "synced" | "already-synced" | "running" | "failed" | "conflict";
  /** History rows and meta records sent. */
  items: number;
  requests: number;
  /** The run ended without an exit record (its process died). */
  crashed: boolean;
  message: string | null;
  /** Rows of the log and of the server; null when the log was not read (running, or the server was never reached). */
  rows: SyncRows | null;
  /** Damage found in the run log (the first 20 issues): torn tail, damaged regions, unreadable records. */
  damage: RunLogIssue[];
  /** Instance id of the server synced to; null when it was not reached. */
  serverId: string | null;
  /**
   * Records the server refused for good (an older or stricter server): set aside in
   * `quarantine.jsonl` in the run directory while the rest uploaded. `records` 0 when none;
   * `firstReason` the first refusal as the server worded it (`HTTP 400: …`). Null only when
   * the run directory could not be read.
   */
  quarantined: QuarantineSummary | null;
  /**
   * The run's files (saved with `run.save()`, and config.json, summary.json, metadata.json,
   * diff.patch): `uploaded` sent now (or found on the server by content), `unchanged` already
   * there from an earlier upload, `failed` given up (`firstFailure` says why), `bytesSent` over
   * the network. Null when the log was not read.
   */
  files: SyncFiles | null;
  /** Logged artifacts committed by this sync (artifacts/artifact-queue.ts); null when nothing was uploaded. */
  artifacts?: ArtifactQueueStats | null;
}

export interface SyncFiles {
  uploaded: number;
  unchanged: number;
  failed: number;
  bytesSent: number;
  firstFailure: string | null;
}
