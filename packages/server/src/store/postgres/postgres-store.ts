/**
 * The PostgreSQL store behind the Store interface (open-postgres-store.ts opens it). Every
 * method is a few statements on a pooled connection; what decides what is stored is shared
 * with the SQLite store: ingestion (ingest/apply-batch.ts through PgIngestPort) and the series
 * planner (series/series-query.ts through PgSeriesPort, one REPEATABLE READ READ ONLY
 * transaction per query). Several servers may share one database: writes lock what they read
 * (run rows FOR UPDATE, advisory locks for run creation, blobs and migrations).
 *
 * The media index and key kinds (pg-media-store.ts), histograms and table versions
 * (pg-structured-store.ts) and alerts (pg-alert-store.ts) are filled at ingest, in the batch's
 * transaction (pg-media-writes.ts). History compaction rewrites packed history blocks as text
 * while ingestion is idle, as on SQLite (pg-history-compaction.ts).
 */
import { randomInt } from "node:crypto";
import type pg from "pg";
import { NotFoundError, type RunRef, type StreamOffsets } from "@stepwise/protocol";
import type {
  ApplyBatchResult,
  EntitySummary,
  HistoryScanOptions,
  ProjectSummary,
  RevokeApiKeyResult,
  RunListPage,
  RunListQuery,
  RunPatch,
  SeriesKeyList,
  SeriesKeysPage,
  SeriesQuery,
  SeriesResult,
  Store,
  StoreBatch,
  StoredApiKey,
  ExportedApiKey,
  StoredFile,
  StoredRun,
  StoredUpload,
} from "../store.js";
import type {
  ProjectRef,
  StoredKeyKind,
  StoredMediaRun,
  StoredMediaSteps,
  StoreMediaQuery,
} from "../media-store.js";
import type { StructuredStore } from "../structured-store.js";
import type { ArtifactStore } from "../artifact-store.js";
import type { RegistryStore } from "../registry-store.js";
import type { AlertStore } from "../alert-store.js";
import { applyBatch } from "../../ingest/apply-batch.js";
import { querySeries } from "../../series/series-query.js";
import { applyRunPatch } from "../../domain/run-metadata.js";
import { PgApiKeys } from "./pg-api-keys.js";
import { PgBlobReferences } from "./pg-artifact-blobs.js";
import { PgArtifactStore } from "./pg-artifact-store.js";
import { transaction } from "./pg-database.js";
import { PgFileRecords } from "./pg-file-records.js";
import { PgUploadRecords } from "./pg-upload-records.js";
import { PgHistory } from "./pg-history.js";
import { PgIngestPort } from "./pg-ingest-port.js";
import { PgAlertStore } from "./pg-alert-store.js";
import { PgMediaStore } from "./pg-media-store.js";
import { PgRunList } from "./pg-run-list.js";
import { findRun, runPk, saveRun } from "./pg-run-table.js";
import { RunQueue } from "./pg-run-queue.js";
import { listSeriesKeys } from "./pg-series-keys.js";
import { PgSeriesPort } from "./pg-series-port.js";
import { PgRegistryStore } from "./pg-registry-store.js";
import { PgWandbState } from "./pg-wandb-state.js";
import { PgStructuredStore } from "./pg-structured-store.js";

export class PostgresStore implements Store {
  readonly structured: StructuredStore;
  readonly alerts: AlertStore;
  readonly artifacts: ArtifactStore;
  readonly registry: RegistryStore;
  readonly wandb: PgWandbState;
  private readonly ingest: PgIngestPort;
  private readonly runList: PgRunList;
  private readonly history: PgHistory;
  private readonly files: PgFileRecords;
  private readonly uploads: PgUploadRecords;
  private readonly apiKeys: PgApiKeys;
  private readonly blobs: PgBlobReferences;
  private readonly queue = new RunQueue();
  private readonly media: PgMediaStore;
  private readonly alertStore: PgAlertStore;

  constructor(
    private readonly pool: pg.Pool,
    readonly instanceId: string,
    /** The database's URL without its password, for messages. */
    private readonly where: string,
    /** Files one run may hold (default LIMITS.runFiles). */
    maxRunFiles?: number,
  ) {
    this.structured = new PgStructuredStore(pool, where);
    this.media = new PgMediaStore(pool);
    this.alerts = this.alertStore = new PgAlertStore(pool);
    this.ingest = new PgIngestPort(pool);
    this.runList = new PgRunList(pool);
    this.history = new PgHistory(pool, where);
    this.files = new PgFileRecords(pool, maxRunFiles);
    this.uploads = new PgUploadRecords(pool);
    this.apiKeys = new PgApiKeys(pool);
    this.artifacts = new PgArtifactStore(pool);
    this.registry = new PgRegistryStore(pool);
    this.wandb = new PgWandbState(pool);
    this.blobs = new PgBlobReferences(pool, this.files);
  }

  listEntities(): Promise<EntitySummary[]> {
    return this.runList.listEntities();
  }
  listProjects(entity: string): Promise<ProjectSummary[]> {
    return this.runList.listProjects(entity);
  }
  async getRun(ref: RunRef): Promise<StoredRun | null> {
    return (await findRun(this.pool, ref))?.run ?? null;
  }
  async hasRun(ref: RunRef): Promise<boolean> {
    return (await runPk(this.pool, ref)) !== null;
  }
  async streamCounts(ref: RunRef): Promise<StreamOffsets | null> {
    const { rows } = await this.pool.query<{
      history: number;
      events: number;
      console: number;
      meta: number;
    }>(
      `SELECT history_count AS history, events_count AS events, console_count AS console, meta_count AS meta
       FROM runs WHERE entity = $1 AND project = $2 AND run_id = $3`,
      [ref.entity, ref.project, ref.runId],
    );
    return rows[0] ?? null;
  }
  listRuns(query: RunListQuery): Promise<RunListPage> {
    return this.runList.list(query);
  }
  updateRun(ref: RunRef, patch: RunPatch): Promise<StoredRun> {
    // The run row is locked while it is read and written: a batch to the run waits its turn.
    return this.queue.run(ref, () => this.update(ref, patch));
  }
  private update(ref: RunRef, patch: RunPatch): Promise<StoredRun> {
    return transaction(this.pool, async (client) => {
      const found = await findRun(client, ref, true);
      if (!found)
        throw new NotFoundError(
          `run ${ref.entity}/${ref.project}/${ref.runId} does not exist; check the run path`,
        );
      const run = applyRunPatch(found.run, patch);
      await saveRun(client, found.pk, run);
      return run;
    });
  }
  applyBatch(ref: RunRef, batch: StoreBatch, now: number): Promise<ApplyBatchResult> {
    return this.queue.run(ref, () => applyBatch(this.ingest, ref, batch, now, (max) => randomInt(max)));
  }
  async markStaleRunsCrashed(olderThan: number): Promise<number> {
    const result = await this.pool.query(
      "UPDATE runs SET state = 'crashed' WHERE state = 'running' AND heartbeat_at < $1",
      [olderThan],
    );
    return result.rowCount ?? 0;
  }
  querySeries(query: SeriesQuery): Promise<SeriesResult[]> {
    return transaction(
      this.pool,
      (client) => querySeries(new PgSeriesPort(client, this.where), query),
      "REPEATABLE READ READ ONLY",
    );
  }
  listSeriesKeys(runs: readonly RunRef[], page?: SeriesKeysPage): Promise<SeriesKeyList> {
    return listSeriesKeys(this.pool, runs, page);
  }
  scanHistory(ref: RunRef, options?: HistoryScanOptions): AsyncIterable<string[]> {
    return this.history.pages(ref, options);
  }
  scanHistoryNdjson(ref: RunRef): AsyncIterable<Uint8Array> {
    return this.history.ndjson(ref);
  }
  compactHistory(maxBlocks: number): Promise<number> {
    return this.history.compact(maxBlocks);
  }
  readStream(ref: RunRef, stream: "events" | "console", offset: number, limit: number): Promise<string[]> {
    return this.history.readStream(ref, stream, offset, limit);
  }
  putFile(ref: RunRef, file: StoredFile, whileLocked?: () => void): Promise<void> {
    return this.files.put(ref, file, whileLocked);
  }
  listFiles(ref: RunRef): Promise<StoredFile[]> {
    return this.files.all(ref);
  }
  getFile(ref: RunRef, path: string): Promise<StoredFile | null> {
    return this.files.get(ref, path);
  }
  isBlobReferenced(sha256: string): Promise<boolean> {
    return this.blobs.isReferenced(sha256);
  }
  collectBlob(sha256: string, remove: () => boolean): Promise<boolean> {
    return this.blobs.collect(sha256, remove);
  }
  findUpload(ref: RunRef, path: string, size: number, sha256: string): Promise<StoredUpload | null> {
    return this.uploads.find(ref, path, size, sha256);
  }
  getUpload(id: string): Promise<StoredUpload | null> {
    return this.uploads.get(id);
  }
  saveUpload(upload: StoredUpload): Promise<void> {
    return this.uploads.save(upload);
  }
  deleteUpload(id: string): Promise<void> {
    return this.uploads.delete(id);
  }
  expiredUploads(before: number): Promise<StoredUpload[]> {
    return this.uploads.expiredBefore(before);
  }
  createApiKey(key: StoredApiKey, secretHash: string): Promise<void> {
    return this.apiKeys.create(key, secretHash);
  }
  createFirstApiKey(key: StoredApiKey, secretHash: string): Promise<boolean> {
    return this.apiKeys.createFirst(key, secretHash);
  }
  findApiKeyByHash(secretHash: string): Promise<StoredApiKey | null> {
    return this.apiKeys.find(secretHash);
  }
  touchApiKey(id: string, now: number): Promise<void> {
    return this.apiKeys.touch(id, now);
  }
  countApiKeys(): Promise<number> {
    return this.apiKeys.total();
  }
  listApiKeys(): Promise<StoredApiKey[]> {
    return this.apiKeys.all();
  }
  exportApiKeys(): Promise<ExportedApiKey[]> {
    return this.apiKeys.exported();
  }
  revokeApiKey(id: string): Promise<RevokeApiKeyResult> {
    return this.apiKeys.revoke(id);
  }
  queryMedia(project: ProjectRef, query: StoreMediaQuery): Promise<StoredMediaRun[]> {
    return this.media.queryMedia(project, query);
  }
  listMediaSteps(project: ProjectRef, key: string, runIds: readonly string[]): Promise<StoredMediaSteps[]> {
    return this.media.listMediaSteps(project, key, runIds);
  }
  listKeyKinds(
    project: ProjectRef,
    runIds: readonly string[] | null,
    keys: readonly string[] | null,
  ): Promise<StoredKeyKind[]> {
    return this.media.listKeyKinds(project, runIds, keys);
  }
  async close(): Promise<void> {
    // The delivery worker has stopped: its claimed deliveries are free for the next try.
    this.alertStore.close();
    await this.pool.end();
  }
}
