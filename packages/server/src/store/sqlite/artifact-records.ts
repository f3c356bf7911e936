/**
 * The SQLite artifact store (artifact-store.ts; tables in artifact-schema.ts). Every write is
 * one immediate transaction: a version, its entries, tags and aliases appear together or not at
 * all, and the next version's index is read and taken inside the same transaction.
 */
import type Database from "better-sqlite3";
import {
  LATEST_ALIAS,
  NotFoundError,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { userAliases, versionName } from "../../domain/artifact-aliases.js";
import { aliasesToDrop } from "../../domain/artifact-commit.js";
import {
  LIVE,
  LIVE_COLLECTION,
  toEntry,
  VERSION_COLUMNS,
  VERSION_FROM,
  versionDtos,
  type EntryRow,
  type VersionRow,
} from "./artifact-dto.js";
import { SqliteDistributedArtifacts } from "./artifact-distributed-records.js";
import { bytesFreedBy, storageUsed } from "./artifact-storage.js";
import { placeAliases, toDto, versionRow, writeTtl, writeVersion } from "./artifact-version-rows.js";
import { settle } from "./settle.js";
import { asStoreError } from "./sqlite-storage-errors.js";
import type {
  ArtifactCollectionDto,
  ArtifactStorageDto,
  ArtifactStore,
  CommitVersionInput,
  CommitVersionResult,
  VersionRef,
} from "../artifact-store.js";

export class SqliteArtifactStore implements ArtifactStore {
  readonly distributed: SqliteDistributedArtifacts;

  constructor(private readonly db: Database.Database) {
    this.distributed = new SqliteDistributedArtifacts(db, (work) => this.work(work));
  }

  commitVersion(input: CommitVersionInput): Promise<CommitVersionResult> {
    const qualified = `${input.entity}/${input.project}/${input.name}`;
    const commit = this.db.transaction((aliases: string[]) => writeVersion(this.db, input, aliases));
    return this.work(() => commit.immediate(userAliases(input.aliases, qualified)));
  }

  resolveVersion(ref: VersionRef): Promise<ArtifactVersionDto | null> {
    return this.work(() => {
      const row = this.findVersion(ref);
      return row === undefined ? null : toDto(this.db, row);
    });
  }

  readManifest(ref: VersionRef, afterPath: string | null, limit: number): Promise<ManifestEntry[] | null> {
    return this.work(() => {
      const version = this.findVersion(ref);
      if (version === undefined) return null;
      return this.db
        .prepare<[number, string, number], EntryRow>(
          `SELECT path, sha256, size, ref, ref_digest FROM artifact_entries
         WHERE version_pk = ? AND path > ? ORDER BY path LIMIT ?`,
        )
        .all(version.pk, afterPath ?? "", limit)
        .map(toEntry);
    });
  }

  listCollections(entity: string, project: string, type?: string): Promise<ArtifactCollectionDto[]> {
    return this.work(() => {
      const rows = this.db
        .prepare<
          [string, string, string | null, string | null],
          {
            name: string;
            type: string;
            created_at: number;
            updated_at: number;
            versions: number;
            latest: number | null;
          }
        >(
          `SELECT c.name, c.type, c.created_at, c.updated_at,
           (SELECT COUNT(*) FROM artifact_versions v WHERE v.collection_pk = c.pk AND ${LIVE}) AS versions,
           (SELECT v.idx FROM artifact_aliases a JOIN artifact_versions v ON v.pk = a.version_pk
             WHERE a.collection_pk = c.pk AND a.alias = 'latest') AS latest
         FROM artifact_collections c
         WHERE c.entity = ? AND c.project = ? AND ${LIVE_COLLECTION} AND (? IS NULL OR c.type = ?)
         ORDER BY c.type, c.name`,
        )
        .all(entity, project, type ?? null, type ?? null);
      return rows.map((row) => ({
        entity,
        project,
        name: row.name,
        type: row.type,
        versionCount: row.versions,
        latest: row.latest === null ? null : versionName(row.latest),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }));
    });
  }

  listVersions(entity: string, project: string, name: string): Promise<ArtifactVersionDto[]> {
    return this.work(() =>
      versionDtos(
        this.db,
        this.db
          .prepare<[string, string, string], VersionRow>(
            `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
           WHERE c.entity = ? AND c.project = ? AND c.name = ? AND ${LIVE} ORDER BY v.idx DESC`,
          )
          .all(entity, project, name),
      ),
    );
  }

  setAliases(ref: VersionRef, aliases: readonly string[], now: number): Promise<ArtifactVersionDto> {
    const change = this.db.transaction((wanted: string[]): ArtifactVersionDto => {
      const { collection, row } = this.requireVersion(ref);
      const drop = this.db.prepare("DELETE FROM artifact_aliases WHERE collection_pk = ? AND alias = ?");
      for (const alias of aliasesToDrop(toDto(this.db, row).aliases, wanted)) drop.run(collection, alias);
      placeAliases(this.db, collection, row.pk, wanted, now);
      return toDto(this.db, row);
    });
    return this.work(() => change.immediate(userAliases(aliases, qualifiedName(ref))));
  }

  setTags(ref: VersionRef, tags: readonly string[]): Promise<ArtifactVersionDto> {
    const change = this.db.transaction((wanted: string[]): ArtifactVersionDto => {
      const { row } = this.requireVersion(ref);
      this.db.prepare("DELETE FROM artifact_tags WHERE version_pk = ?").run(row.pk);
      const insert = this.db.prepare("INSERT OR IGNORE INTO artifact_tags (version_pk, tag) VALUES (?, ?)");
      for (const tag of wanted) insert.run(row.pk, tag);
      return toDto(this.db, row);
    });
    return this.work(() => change.immediate([...new Set(tags)]));
  }

  setTtl(ref: VersionRef, ttlS: number | null): Promise<ArtifactVersionDto> {
    const change = this.db.transaction((): ArtifactVersionDto => {
      const { row } = this.requireVersion(ref);
      writeTtl(this.db, row.pk, ttlS);
      return toDto(this.db, { ...row, ttl_s: ttlS });
    });
    return this.work(() => change.immediate());
  }

  collectionsWithExpired(now: number): Promise<{ entity: string; project: string; name: string }[]> {
    return this.work(() =>
      this.db
        .prepare<[number], { entity: string; project: string; name: string }>(
          `SELECT DISTINCT c.entity, c.project, c.name
           FROM ${VERSION_FROM} JOIN artifact_version_ttls t ON t.version_pk = v.pk
           WHERE t.expires_at <= ? AND ${LIVE} AND ${LIVE_COLLECTION}
           ORDER BY c.entity, c.project, c.name`,
        )
        .all(now),
    );
  }

  recordUse(run: RunRef, ref: VersionRef, now: number): Promise<ArtifactVersionDto> {
    const use = this.db.transaction((): ArtifactVersionDto => {
      const { row } = this.requireVersion(ref);
      this.db
        .prepare(
          `INSERT OR IGNORE INTO artifact_uses (version_pk, entity, project, run_id, used_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(row.pk, run.entity, run.project, run.runId, now);
      return toDto(this.db, row);
    });
    return this.work(() => use.immediate());
  }

  runLineage(run: RunRef): Promise<{ produced: ArtifactVersionDto[]; used: ArtifactVersionDto[] }> {
    return this.work(() => {
      const produced = this.db
        .prepare<[string, string, string, string, string, string], VersionRow>(
          // The versions it logged or finished, and those it upserted into (distributed writers).
          `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
         WHERE v.pk IN (
           SELECT pk FROM artifact_versions
           WHERE producer_entity = ? AND producer_project = ? AND producer_run_id = ?
           UNION SELECT version_pk FROM artifact_version_writers
           WHERE entity = ? AND project = ? AND run_id = ?) AND ${LIVE}
         ORDER BY v.pk`,
        )
        .all(run.entity, run.project, run.runId, run.entity, run.project, run.runId);
      const used = this.db
        .prepare<[string, string, string], VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM artifact_uses u JOIN artifact_versions v ON v.pk = u.version_pk
           JOIN artifact_collections c ON c.pk = v.collection_pk
         WHERE u.entity = ? AND u.project = ? AND u.run_id = ? AND ${LIVE} ORDER BY u.used_at, v.pk`,
        )
        .all(run.entity, run.project, run.runId);
      return {
        produced: versionDtos(this.db, produced),
        used: versionDtos(this.db, used),
      };
    });
  }

  consumers(ref: VersionRef): Promise<RunRef[]> {
    return this.work(() => {
      const row = this.findVersion(ref);
      if (row === undefined) return [];
      return this.db
        .prepare<[number], { entity: string; project: string; run_id: string }>(
          "SELECT entity, project, run_id FROM artifact_uses WHERE version_pk = ? ORDER BY used_at, run_id",
        )
        .all(row.pk)
        .map((u) => ({ entity: u.entity, project: u.project, runId: u.run_id }));
    });
  }

  deleteVersion(ref: VersionRef, now: number): Promise<ArtifactVersionDto> {
    const remove = this.db.transaction((): ArtifactVersionDto => {
      const { collection, row } = this.requireVersion(ref);
      const deleted = toDto(this.db, row);
      this.db
        .prepare("INSERT INTO artifact_deleted_versions (version_pk, deleted_at) VALUES (?, ?)")
        .run(row.pk, now);
      this.db.prepare("DELETE FROM artifact_aliases WHERE version_pk = ?").run(row.pk);
      const newest = this.db
        .prepare<[number], { pk: number }>(
          `SELECT v.pk FROM artifact_versions v WHERE v.collection_pk = ? AND ${LIVE} ORDER BY v.idx DESC LIMIT 1`,
        )
        .get(collection);
      if (newest !== undefined) placeAliases(this.db, collection, newest.pk, [LATEST_ALIAS], now);
      this.db.prepare("UPDATE artifact_collections SET updated_at = ? WHERE pk = ?").run(now, collection);
      return deleted;
    });
    return this.work(() => remove.immediate());
  }

  deleteCollection(entity: string, project: string, name: string, now: number): Promise<number> {
    const remove = this.db.transaction((): number => {
      const collection = this.collectionPk(entity, project, name);
      if (collection === undefined)
        throw new NotFoundError(`no artifact collection ${entity}/${project}/${name}`);
      const { changes } = this.db
        .prepare(
          `INSERT INTO artifact_deleted_versions (version_pk, deleted_at)
           SELECT v.pk, ? FROM artifact_versions v WHERE v.collection_pk = ? AND ${LIVE}`,
        )
        .run(now, collection);
      this.db.prepare("DELETE FROM artifact_aliases WHERE collection_pk = ?").run(collection);
      this.db
        .prepare("INSERT INTO artifact_deleted_collections (collection_pk, deleted_at) VALUES (?, ?)")
        .run(collection, now);
      this.db.prepare("UPDATE artifact_collections SET updated_at = ? WHERE pk = ?").run(now, collection);
      return changes;
    });
    return this.work(() => remove.immediate());
  }

  bytesFreedBy(entity: string, project: string, name: string, versions: readonly string[]): Promise<number> {
    return this.work(() => bytesFreedBy(this.db, { entity, project, name }, versions));
  }

  storageUsed(entity: string, project: string): Promise<ArtifactStorageDto> {
    return this.work(() => storageUsed(this.db, entity, project));
  }

  /** Synchronous store work as a settled promise, with storage errors (a full disk) typed. */
  private work<T>(work: () => T): Promise<T> {
    return settle(() => {
      try {
        return work();
      } catch (error) {
        throw asStoreError(error, this.db.name, null);
      }
    });
  }

  private findVersion(ref: VersionRef): VersionRow | undefined {
    const collection = this.collectionPk(ref.entity, ref.project, ref.name);
    return collection === undefined ? undefined : versionRow(this.db, collection, ref.alias);
  }

  private collectionPk(entity: string, project: string, name: string): number | undefined {
    return this.db
      .prepare<[string, string, string], { pk: number }>(
        `SELECT pk FROM artifact_collections c WHERE entity = ? AND project = ? AND name = ? AND ${LIVE_COLLECTION}`,
      )
      .get(entity, project, name)?.pk;
  }

  private requireVersion(ref: VersionRef): { collection: number; row: VersionRow } {
    const collection = this.collectionPk(ref.entity, ref.project, ref.name);
    const row = collection === undefined ? undefined : versionRow(this.db, collection, ref.alias);
    if (collection === undefined || row === undefined)
      throw new NotFoundError(`no artifact version ${qualifiedName(ref)}`);
    return { collection, row };
  }
}

function qualifiedName(ref: VersionRef): string {
  return `${ref.entity}/${ref.project}/${ref.name}:${ref.alias}`;
}
