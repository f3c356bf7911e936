/**
 * The embedded store behind the Store interface, on a database that open-sqlite-store.ts opened.
 * better-sqlite3 is synchronous, so each method does its work at once and returns a settled
 * promise; a write blocks the event loop for its transaction (see docs/storage.md for how long).
 * Several processes may write one database file: writes take the lock first (IMMEDIATE) and
 * the series tail cache checks the stored count before use.
 * Every method goes through `work`, which reports a full disk as StorageFullError and damage met
 * on the way (a row failing its checksum, SQLite finding the file corrupt) as STORE_CORRUPT
 * naming the run (sqlite-storage-errors.ts).
 */
import { randomInt } from "node:crypto";
import type Database from "better-sqlite3";
import { NotFoundError, type RunRef, type StreamOffsets } from "@stepwise/protocol";
import type {
  ApplyBatchResult,
  EntitySummary,
  HistoryScanOptions,
  ProjectSummary,
  RunListPage,
  RunListQuery,
  RunPatch,
  RevokeApiKeyResult,
  SeriesKeyList,
  SeriesKeysPage,
  SeriesQuery,
  SeriesResult,
  Store,
  StoredApiKey,
  ExportedApiKey,
  StoredFile,
  StoredRun,
  StoredUpload,
  StoreBatch,
} from "../store.js";
import type {
  ProjectRef,
  StoredKeyKind,
  StoredMediaRun,
  StoredMediaSteps,
  StoreMediaQuery,
} from "../media-store.js";
import type { HistoryColumns, KeptHistoryColumns } from "../history-columns.js";
import { applyRunPatch } from "../../domain/run-metadata.js";
import { ApiKeyRecords } from "./api-key-records.js";
import { SqliteIngestPort } from "./batch-applier.js";
import { applyBatch } from "../../ingest/apply-batch.js";
import { FileRecords } from "./file-records.js";
import { UploadRecords } from "./upload-records.js";
import { HistoryCompaction } from "./history-compaction.js";
import { HistoryBytesReader } from "./history-bytes-reader.js";
import { HistoryColumnsRecords } from "./history-columns-records.js";
import { denseColumnGroups } from "./history-columns-values.js";
import { HistoryReader } from "./history-reader.js";
import { KeyKindRecords } from "./key-kind-records.js";
import { MediaRecords } from "./media-records.js";
import { rebuildRichValues } from "./rich-value-rebuild.js";
import { SqliteStructuredStore } from "./sqlite-structured-store.js";
import { SqliteArtifactStore } from "./artifact-records.js";
import { SqliteRegistryStore } from "./registry-records.js";
import { SqliteAlertStore } from "./alert-records.js";
import { SqliteWandbState } from "./wandb-state-records.js";
import { RunList } from "./run-list.js";
import { RunTable } from "./run-table.js";
import { querySeries } from "../../series/series-query.js";
import { readInstanceId } from "./instance-id.js";
import { settle } from "./settle.js";
import { SeriesKeys } from "./series-keys.js";
import { SeriesSource, SqliteSeriesPort } from "./series-source.js";
import { SeriesWriter } from "./series-writer.js";
import { asStoreError } from "./sqlite-storage-errors.js";

export class SqliteStore implements Store {
  readonly instanceId: string;
  readonly structured: SqliteStructuredStore;
  readonly alerts: SqliteAlertStore;
  readonly artifacts: SqliteArtifactStore;
  readonly registry: SqliteRegistryStore;
  readonly wandb: SqliteWandbState;
  private readonly runs: RunTable;
  private readonly runList: RunList;
  private readonly ingest: SqliteIngestPort;
  private readonly seriesSource: SeriesSource;
  private readonly seriesPort: SqliteSeriesPort;
  private readonly seriesKeys: SeriesKeys;
  private readonly history: HistoryReader;
  private readonly historyBytes: HistoryBytesReader;
  private readonly columns: HistoryColumnsRecords;
  private readonly compaction: HistoryCompaction;
  private readonly files: FileRecords;
  private readonly uploads: UploadRecords;
  private readonly putFileLocked: (ref: RunRef, file: StoredFile, whileLocked?: () => void) => void;
  private readonly collectLocked: (sha256: string, remove: () => boolean) => boolean;
  private readonly apiKeys: ApiKeyRecords;
  private readonly media: MediaRecords;
  private readonly keyKinds: KeyKindRecords;
  private readonly markStale: Database.Statement<[number]>;
  private readonly streamCountsOf: Database.Statement<
    [string, string, string],
    { history_count: number; events_count: number; console_count: number; meta_count: number }
  >;
  private readonly update: (ref: RunRef, patch: RunPatch) => StoredRun;

  constructor(private readonly db: Database.Database) {
    this.instanceId = readInstanceId(db);
    this.runs = new RunTable(db);
    this.runList = new RunList(db);
    this.media = new MediaRecords(db);
    this.keyKinds = new KeyKindRecords(db);
    // Rich values hook (rich-value-hook.ts): extensions that index non-numeric history values.
    this.structured = new SqliteStructuredStore(db);
    const richValues = [this.keyKinds, this.media, ...this.structured.extensions];
    this.alerts = new SqliteAlertStore(db);
    this.artifacts = new SqliteArtifactStore(db);
    this.registry = new SqliteRegistryStore(db);
    this.wandb = new SqliteWandbState(db);
    this.ingest = new SqliteIngestPort(db, this.runs, new SeriesWriter(db), richValues, this.alerts);
    rebuildRichValues(db, richValues);
    this.seriesSource = new SeriesSource(db);
    this.seriesPort = new SqliteSeriesPort(this.seriesSource);
    this.seriesKeys = new SeriesKeys(db, this.seriesSource);
    this.history = new HistoryReader(db);
    this.historyBytes = new HistoryBytesReader(db);
    this.columns = new HistoryColumnsRecords(db);
    this.compaction = new HistoryCompaction(db);
    this.files = new FileRecords(db);
    this.uploads = new UploadRecords(db);
    // IMMEDIATE: the write lock is taken first, so a check inside (does the blob exist? is it
    // referenced?) cannot be overtaken by another connection's record or collection.
    const putFile = db.transaction((ref: RunRef, file: StoredFile, whileLocked?: () => void) => {
      this.files.checkPath(ref, file.path);
      whileLocked?.();
      this.files.put(ref, file);
    });
    this.putFileLocked = (ref, file, whileLocked) => putFile.immediate(ref, file, whileLocked);
    const collect = db.transaction((sha256: string, remove: () => boolean) =>
      this.files.isReferenced(sha256) ? false : remove(),
    );
    this.collectLocked = (sha256, remove) => collect.immediate(sha256, remove);
    this.apiKeys = new ApiKeyRecords(db);
    this.streamCountsOf = db.prepare(
      `SELECT history_count, events_count, console_count, meta_count FROM runs
       WHERE entity = ? AND project = ? AND run_id = ?`,
    );
    this.markStale = db.prepare(
      "UPDATE runs SET state = 'crashed' WHERE state = 'running' AND heartbeat_at < ?",
    );
    // IMMEDIATE, as a batch (batch-applier.ts): a deferred read-then-write fails with SQLITE_BUSY
    // when another connection writes between (store contract, concurrency).
    const update = db.transaction((ref: RunRef, patch: RunPatch) => {
      const found = this.runs.find(ref);
      if (!found)
        throw new NotFoundError(
          `run ${ref.entity}/${ref.project}/${ref.runId} does not exist; check the run path`,
        );
      const run = applyRunPatch(found.run, patch);
      this.runs.save(found.pk, run);
      return run;
    });
    this.update = (ref, patch) => update.immediate(ref, patch);
  }

  listEntities(): Promise<EntitySummary[]> {
    return this.work(null, () => this.runList.listEntities());
  }
  listProjects(entity: string): Promise<ProjectSummary[]> {
    return this.work(null, () => this.runList.listProjects(entity));
  }
  getRun(ref: RunRef): Promise<StoredRun | null> {
    return this.work(ref, () => this.runs.find(ref)?.run ?? null);
  }
  hasRun(ref: RunRef): Promise<boolean> {
    return this.work(ref, () => this.seriesSource.runOf(ref) !== null);
  }
  streamCounts(ref: RunRef): Promise<StreamOffsets | null> {
    return this.work(ref, () => {
      const row = this.streamCountsOf.get(ref.entity, ref.project, ref.runId);
      return row === undefined
        ? null
        : {
            history: row.history_count,
            events: row.events_count,
            console: row.console_count,
            meta: row.meta_count,
          };
    });
  }
  listRuns(query: RunListQuery): Promise<RunListPage> {
    return this.work(null, () => this.runList.list(query));
  }
  updateRun(ref: RunRef, patch: RunPatch): Promise<StoredRun> {
    return this.work(ref, () => this.update(ref, patch));
  }
  applyBatch(ref: RunRef, batch: StoreBatch, now: number): Promise<ApplyBatchResult> {
    return this.workAsync(ref, () => applyBatch(this.ingest, ref, batch, now, (max) => randomInt(max)));
  }
  markStaleRunsCrashed(olderThan: number): Promise<number> {
    return this.work(null, () => this.markStale.run(olderThan).changes);
  }
  querySeries(query: SeriesQuery): Promise<SeriesResult[]> {
    return this.workAsync(null, () => querySeries(this.seriesPort, query));
  }
  listSeriesKeys(runs: readonly RunRef[], page?: SeriesKeysPage): Promise<SeriesKeyList> {
    return this.work(null, () => this.seriesKeys.list(runs, page));
  }
  scanHistory(ref: RunRef, options?: HistoryScanOptions): AsyncIterable<string[]> {
    return this.history.scan(ref, options);
  }
  scanHistoryNdjson(ref: RunRef): AsyncIterable<Uint8Array> {
    return this.historyBytes.scan(ref);
  }
  historyColumns(ref: RunRef): Promise<KeptHistoryColumns | null> {
    return this.work(ref, () => this.columns.kept(ref));
  }
  keepHistoryColumns(ref: RunRef, columns: HistoryColumns, rowCount: number): Promise<boolean> {
    return this.work(ref, () => this.columns.keep(ref, columns, rowCount));
  }
  historyColumnGroups(ref: RunRef, kept: KeptHistoryColumns, names: readonly string[], groupRows: number) {
    return this.work(ref, () => denseColumnGroups(this.seriesSource, ref, kept, names, groupRows));
  }
  compactHistory(maxBlocks: number): Promise<number> {
    return this.work(null, () => this.compaction.step(maxBlocks));
  }
  readStream(ref: RunRef, stream: "events" | "console", offset: number, limit: number): Promise<string[]> {
    return this.work(ref, () => this.history.readStream(ref, stream, offset, limit));
  }
  putFile(ref: RunRef, file: StoredFile, whileLocked?: () => void): Promise<void> {
    return this.work(ref, () => this.putFileLocked(ref, file, whileLocked));
  }
  listFiles(ref: RunRef): Promise<StoredFile[]> {
    return this.work(ref, () => this.files.all(ref));
  }
  getFile(ref: RunRef, path: string): Promise<StoredFile | null> {
    return this.work(ref, () => this.files.get(ref, path));
  }
  isBlobReferenced(sha256: string): Promise<boolean> {
    return this.work(null, () => this.files.isReferenced(sha256));
  }
  collectBlob(sha256: string, remove: () => boolean): Promise<boolean> {
    return this.work(null, () => this.collectLocked(sha256, remove));
  }
  findUpload(ref: RunRef, path: string, size: number, sha256: string): Promise<StoredUpload | null> {
    return this.work(ref, () => this.uploads.find(ref, path, size, sha256));
  }
  getUpload(id: string): Promise<StoredUpload | null> {
    return this.work(null, () => this.uploads.get(id));
  }
  saveUpload(upload: StoredUpload): Promise<void> {
    return this.work(upload.ref, () => this.uploads.save(upload));
  }
  deleteUpload(id: string): Promise<void> {
    return this.work(null, () => this.uploads.delete(id));
  }
  expiredUploads(before: number): Promise<StoredUpload[]> {
    return this.work(null, () => this.uploads.expiredBefore(before));
  }
  createApiKey(key: StoredApiKey, secretHash: string): Promise<void> {
    return this.work(null, () => this.apiKeys.create(key, secretHash));
  }
  createFirstApiKey(key: StoredApiKey, secretHash: string): Promise<boolean> {
    return this.work(null, () => this.apiKeys.createFirst(key, secretHash));
  }
  findApiKeyByHash(secretHash: string): Promise<StoredApiKey | null> {
    return this.work(null, () => this.apiKeys.find(secretHash));
  }
  touchApiKey(id: string, now: number): Promise<void> {
    return this.work(null, () => this.apiKeys.touchKey(id, now));
  }
  countApiKeys(): Promise<number> {
    return this.work(null, () => this.apiKeys.total());
  }
  listApiKeys(): Promise<StoredApiKey[]> {
    return this.work(null, () => this.apiKeys.all());
  }
  exportApiKeys(): Promise<ExportedApiKey[]> {
    return this.work(null, () => this.apiKeys.exported());
  }
  revokeApiKey(id: string): Promise<RevokeApiKeyResult> {
    return this.work(null, () => this.apiKeys.revoke(id));
  }
  queryMedia(project: ProjectRef, query: StoreMediaQuery): Promise<StoredMediaRun[]> {
    return this.work(null, () => this.media.query(project, query.key, query.runIds, query.at, query.range));
  }
  listMediaSteps(project: ProjectRef, key: string, runIds: readonly string[]): Promise<StoredMediaSteps[]> {
    return this.work(null, () => this.media.listSteps(project, key, runIds));
  }
  listKeyKinds(
    project: ProjectRef,
    runIds: readonly string[] | null,
    keys: readonly string[] | null,
  ): Promise<StoredKeyKind[]> {
    return this.work(null, () =>
      this.keyKinds.list(
        runIds === null ? this.media.projectPks(project) : this.media.runPks(project, runIds),
        keys,
      ),
    );
  }

  /**
   * Runs synchronous work as a settled promise; a full disk is reported as StorageFullError,
   * damage as STORE_CORRUPT naming `ref`.
   */
  private work<T>(ref: RunRef | null, work: () => T): Promise<T> {
    return settle(() => {
      try {
        return work();
      } catch (error) {
        throw asStoreError(error, this.db.name, ref);
      }
    });
  }

  /** As `work`, for work through a storage-independent module's (async) port. */
  private async workAsync<T>(ref: RunRef | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asStoreError(error, this.db.name, ref);
    }
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }
}
