/**
 * The storage contract. SQLite (embedded default) implements it now, PostgreSQL later; one
 * contract suite (`test/store-contract/`) runs against every implementation. Methods are async
 * so that network-backed stores fit; the SQLite store may do the work synchronously.
 *
 * Rules every implementation keeps:
 * - `applyBatch` is the one write primitive for run data: one transaction, persisted before it
 *   resolves, idempotent per stream offset (items below the stored count are skipped; console
 *   lines may be rewritten), and a batch that starts past a stream's count changes nothing and
 *   reports the gap.
 * - History is exact and recoverable row by row (`scanHistory`); numeric series are also kept
 *   column-wise in chunks with pre-aggregated rollups so that `querySeries` over N buckets costs
 *   about O(N) whatever the series length.
 */
import type { HistoryColumns, KeptHistoryColumns } from "./history-columns.js";
import type { MediaStore } from "./media-store.js";
import type { StructuredStore } from "./structured-store.js";
import type { AlertStore } from "./alert-store.js";
import type { ArtifactStore } from "./artifact-store.js";
import type { RegistryStore } from "./registry-store.js";
import type { WandbStateStore } from "./wandb-state-store.js";
import type {
  HistoryRow,
  IngestBatch,
  MetricRecord,
  PackedRows,
  RunRef,
  RunState,
  StreamName,
  StreamOffsets,
} from "@stepwise/protocol";

export interface StoredRun {
  entity: string;
  project: string;
  id: string;
  name: string;
  state: RunState;
  group: string;
  jobType: string;
  tags: string[];
  notes: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  metrics: MetricRecord[];
  host: string;
  program: string;
  args: string[];
  gitCommit: string | null;
  /** Unix seconds (from the client's start time when given, else first ingest). */
  createdAt: number;
  /** Unix seconds of the last ingest (data or heartbeat). */
  heartbeatAt: number;
  finishedAt: number | null;
  exitCode: number | null;
  /** Largest `_step` stored, null before the first row. */
  lastStep: number | null;
  startingStep: number;
  /** Counts per stream = the next offset each expects. */
  offsets: StreamOffsets;
  /** Set by a stop request; the SDK sees it in ingest responses. */
  stopRequested: boolean;
  /** The run's 1-based place in its project by creation (stable; the UI picks run colours by it). */
  ordinal: number;
  /** The writer id batches must carry (domain/run-writer.ts); null for runs stored before writer ids. */
  writer: string | null;
}

/**
 * What `applyBatch` takes: an ingest batch whose history arrives either as parsed rows,
 * optionally with each row's text as received (`texts[i]` is the extended-JSON text that
 * `rows[i]` was parsed from, one line, no newline; with texts the store keeps them verbatim
 * instead of re-encoding), or as validated packed rows (protocol packed-rows.ts), which the
 * store keeps packed and turns into text only when history is read.
 */
export type StoreHistory =
  { offset: number; rows: HistoryRow[]; texts?: string[] } | { offset: number; packed: PackedRows };

export type StoreBatch = Omit<IngestBatch, "history"> & { history?: StoreHistory };

/** Rows in a batch's history, whichever form it takes. */
export function historyRowCount(history: StoreHistory): number {
  return "packed" in history ? history.packed.rowStarts.length : history.rows.length;
}

export interface ApplyBatchResult {
  run: StoredRun;
  /** Set when a stream's offset was past the stored count: nothing of the batch was applied. */
  gap: { stream: StreamName; expected: number } | null;
}

/** Filters compose with AND. Paths into config/summary are dotted (`opt.lr`) with `\.` for a literal dot. */
export type RunFilter =
  | { field: "state"; op: "eq" | "ne" | "in"; value: RunState | RunState[] }
  | { field: "tags"; op: "contains"; value: string }
  | {
      field: "group" | "jobType" | "name" | "id";
      op: "eq" | "ne" | "in" | "contains";
      value: string | string[];
    }
  | {
      field: "config" | "summary";
      path: string;
      op: "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "exists";
      value?: unknown;
    };

export interface RunListQuery {
  entity: string;
  project: string;
  filters?: RunFilter[];
  /** e.g. `{ field: "createdAt", desc: true }`, `{ field: "summary", path: "val/acc", desc: true }`. Default: createdAt desc. */
  order?:
    | { field: "createdAt" | "name" | "state" | "heartbeatAt"; desc: boolean }
    | { field: "config" | "summary"; path: string; desc: boolean };
  /** Default 100, at most 1000. */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /**
   * Only these config and summary paths in each listed run (dotted, `\.` for a literal dot),
   * nested as stored: a path to an object brings the whole object, a path a run lacks is absent,
   * and nothing else of either is listed (an empty list: `{}`). Without `select`, both whole.
   */
  select?: RunListSelect;
}

export interface RunListSelect {
  config: readonly string[];
  summary: readonly string[];
}

export interface RunListPage {
  runs: StoredRun[];
  /** Matching runs in total (all pages). */
  total: number;
  nextCursor: string | null;
}

export type RunPatch = Partial<Pick<StoredRun, "name" | "tags" | "notes" | "state" | "stopRequested">> & {
  /** Keys merged into the summary (explicit user edits). */
  summary?: Record<string, unknown>;
  /** Keys deep-merged into the config. */
  config?: Record<string, unknown>;
};

export interface SeriesQuery {
  runs: RunRef[];
  keys: string[];
  /** `_step` (default), `_runtime`, `_timestamp`, or any logged numeric key. */
  xAxis: string;
  xMin?: number;
  xMax?: number;
  /** The point budget per series (≤ 10,000). */
  buckets: number;
}

/** Which page of series keys `listSeriesKeys` answers. */
export interface SeriesKeysPage {
  /** Only keys that contain this text, ASCII letters case-folded (default: every key). */
  search?: string;
  /** Keys at most (default: all). */
  limit?: number;
  /** Only keys after this one, in code point order (the last key of the previous page). */
  after?: string;
}

export interface SeriesKeyList {
  keys: string[];
  /** Keys are left after the last one listed. */
  more: boolean;
}

/** One series, column-wise. Non-finite values are null. With `exact`, each bucket is one point (min = max = mean = last). */
export interface SeriesResult {
  run: RunRef;
  key: string;
  exact: boolean;
  /** Points in the range, whatever the budget. */
  count: number;
  x: number[];
  min: Array<number | null>;
  max: Array<number | null>;
  mean: Array<number | null>;
  last: Array<number | null>;
  /** Points merged in each bucket. */
  n: number[];
}

export interface HistoryScanOptions {
  keys?: string[];
  minStep?: number;
  maxStep?: number;
}

export interface EntitySummary {
  name: string;
  projects: number;
  runs: number;
  lastActivity: number | null;
}

export interface ProjectSummary {
  entity: string;
  name: string;
  runs: number;
  lastActivity: number | null;
}

export interface StoredFile {
  path: string;
  size: number;
  sha256: string;
  contentType: string;
  updatedAt: number;
}

/**
 * A resumable upload in progress (its bytes are a staged upload of the BlobStore with the same
 * id): one per (run, path, size, sha256), so that declaring the same file again resumes it.
 */
export interface StoredUpload {
  id: string;
  ref: RunRef;
  path: string;
  size: number;
  sha256: string;
  contentType: string;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds after which the upload may be removed (each declaration renews it). */
  expiresAt: number;
}

export interface StoredApiKey {
  id: string;
  name: string;
  entity: string;
  admin: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A key as stored, hash included (never the secret itself: only its hash is kept). */
export interface ExportedApiKey {
  key: StoredApiKey;
  secretHash: string;
}

/** What revokeApiKey did: revoked the key, found none with that id, or kept the last admin key. */
export type RevokeApiKeyResult =
  { kind: "revoked"; key: StoredApiKey } | { kind: "unknown" } | { kind: "last-admin"; key: StoredApiKey };

/** The media index and key kinds (media-store.ts) are part of every store. */
export interface Store extends MediaStore {
  /** This store's id: generated once with the store and kept with its data (clients key their sync state by it). */
  readonly instanceId: string;
  /** Histograms, table versions and chart presets (structured-store.ts). */
  readonly structured: StructuredStore;
  /** Alerts raised by runs, their deliveries and delivery log (alert-store.ts). */
  readonly alerts: AlertStore;
  /** Artifact collections, versions, aliases and lineage (artifact-store.ts). */
  readonly artifacts: ArtifactStore;
  /** Registries linking artifact versions, with an audit log (registry-store.ts); absent where a backend has none yet. */
  readonly registry?: RegistryStore;
  /** The W&B endpoints' state between requests (wandb-state-store.ts). */
  readonly wandb: WandbStateStore;
  listEntities(): Promise<EntitySummary[]>;
  listProjects(entity: string): Promise<ProjectSummary[]>;

  getRun(ref: RunRef): Promise<StoredRun | null>;
  /** Whether the run exists, without reading its config and summary (which may hold 100,000 keys). */
  hasRun(ref: RunRef): Promise<boolean>;
  /** The run's stream counts (its offsets), without reading its config and summary; null for an unknown run. */
  streamCounts(ref: RunRef): Promise<StreamOffsets | null>;
  listRuns(query: RunListQuery): Promise<RunListPage>;
  /** Throws NotFoundError for an unknown run. */
  updateRun(ref: RunRef, patch: RunPatch): Promise<StoredRun>;

  /** Creates the run on first sight (state running; name generated as `adjective-noun-N` when none is given). */
  applyBatch(ref: RunRef, batch: StoreBatch, now: number): Promise<ApplyBatchResult>;
  /** Running runs with heartbeatAt < olderThan become crashed; returns how many. */
  markStaleRunsCrashed(olderThan: number): Promise<number>;

  querySeries(query: SeriesQuery): Promise<SeriesResult[]>;
  /**
   * The series keys any of the runs has (unknown runs have none), each once, in code point
   * order: the first `page.limit` (default all) after `page.after` that contain `page.search`
   * (ASCII letters case-folded); `more` when keys are left after them.
   */
  listSeriesKeys(runs: readonly RunRef[], page?: SeriesKeysPage): Promise<SeriesKeyList>;
  /** Every stored row in step order, exactly as ingested (extended-JSON text, one row per item), in pages. */
  scanHistory(ref: RunRef, options?: HistoryScanOptions): AsyncIterable<string[]>;
  /**
   * The whole history as NDJSON bytes (every row's stored text, each followed by "\n"), in
   * pages of whole rows: the same rows as `scanHistory(ref)`, checked the same way, without
   * turning them into strings. Nothing for an unknown run.
   */
  scanHistoryNdjson(ref: RunRef): AsyncIterable<Uint8Array>;
  /**
   * Optional: the run's history columns kept at ingest and the rows they cover, read together
   * (history-columns.ts), for a CSV or Parquet export in one pass; null when none are kept (a
   * run stored before they were, or a store that keeps none: the export reads twice).
   */
  historyColumns?(ref: RunRef): Promise<KeptHistoryColumns | null>;
  /**
   * Optional: keeps the columns an export's first pass found over the run's `rowCount` rows, for
   * a run with none kept, if it still has exactly those rows (its later batches then add to them).
   */
  keepHistoryColumns?(ref: RunRef, columns: HistoryColumns, rowCount: number): Promise<boolean>;
  /**
   * Optional: a dense run's kept columns (HistoryColumns.dense, all numbers) read from its series
   * in row groups of `groupRows` rows, one Float64Array per name of `names`, as its rows' text
   * gives them; null when they cannot come from there (the caller reads the rows).
   */
  historyColumnGroups?(
    ref: RunRef,
    kept: KeptHistoryColumns,
    names: readonly string[],
    groupRows: number,
  ): Promise<AsyncIterable<Float64Array[]> | null>;
  /**
   * Rewrites up to `maxBlocks` stored blocks of packed history rows as text, so that later scans
   * copy text instead of formatting numbers; returns how many it rewrote (0: nothing left).
   * Scans return the same rows before and after.
   */
  compactHistory(maxBlocks: number): Promise<number>;
  /** Rows of a stream other than history, from an offset (events: JSON text; console: lines). */
  readStream(ref: RunRef, stream: "events" | "console", offset: number, limit: number): Promise<string[]>;

  /**
   * Records (or replaces) a run file. Throws PathConflictError when the path is a folder of the
   * run's files or has one of its files as a folder (checked first). `whileLocked` runs inside
   * the same write transaction just before the record is written, one at a time with `collectBlob` (also
   * across processes sharing the store): it checks that the blob exists and renews it, and may
   * throw to write nothing.
   */
  putFile(ref: RunRef, file: StoredFile, whileLocked?: () => void): Promise<void>;
  listFiles(ref: RunRef): Promise<StoredFile[]>;
  getFile(ref: RunRef, path: string): Promise<StoredFile | null>;
  /** Whether any run file record points at this blob. */
  isBlobReferenced(sha256: string): Promise<boolean>;
  /**
   * Garbage collection of one blob: when no run file record points at `sha256`, runs `remove`
   * (which deletes the blob, or declines, e.g. because it is young) inside a write transaction
   * that no `putFile` can interleave with; resolves to what `remove` answered (false when the
   * blob is referenced).
   */
  collectBlob(sha256: string, remove: () => boolean): Promise<boolean>;

  /** The upload in progress of exactly this content to this path, if any. */
  findUpload(ref: RunRef, path: string, size: number, sha256: string): Promise<StoredUpload | null>;
  getUpload(id: string): Promise<StoredUpload | null>;
  /** Inserts the upload, or renews the expiry of the one with its id. */
  saveUpload(upload: StoredUpload): Promise<void>;
  deleteUpload(id: string): Promise<void>;
  /** Uploads whose expiry is before `before` (unix seconds), oldest first. */
  expiredUploads(before: number): Promise<StoredUpload[]>;

  createApiKey(key: StoredApiKey, secretHash: string): Promise<void>;
  /**
   * Creates `key` only when the store holds no key at all, atomically (several servers starting
   * at once on an empty database make one first admin key); resolves to whether it did.
   */
  createFirstApiKey(key: StoredApiKey, secretHash: string): Promise<boolean>;
  findApiKeyByHash(secretHash: string): Promise<StoredApiKey | null>;
  touchApiKey(id: string, now: number): Promise<void>;
  countApiKeys(): Promise<number>;
  /** Every key, oldest first. */
  listApiKeys(): Promise<StoredApiKey[]>;
  /** Every key with its secret's hash, oldest first: what `stepwise migrate` copies to another store. */
  exportApiKeys(): Promise<ExportedApiKey[]>;
  /**
   * Removes the key, so that it authenticates nothing from now on, unless it is the last admin
   * key (one admin key always remains): the check and the removal are one transaction.
   */
  revokeApiKey(id: string): Promise<RevokeApiKeyResult>;

  close(): Promise<void>;
}

export type { HistoryRow };
