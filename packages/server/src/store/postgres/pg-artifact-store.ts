/**
 * The PostgreSQL artifact store (artifact-store.ts; tables in pg-schema-artifacts.ts). Every
 * write is one transaction that first takes the collection's advisory lock, so that servers
 * sharing the database commit, move aliases and delete in one collection one at a time, and a
 * version with its entries, tags and aliases appears whole or not at all. The rules (numbering,
 * the unchanged re-log, alias moves) are shared with SQLite (domain/artifact-commit.ts).
 */
import type pg from "pg";
import {
  LATEST_ALIAS,
  NotFoundError,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { userAliases, versionName } from "../../domain/artifact-aliases.js";
import { aliasesToDrop } from "../../domain/artifact-commit.js";
import { toEntry, type EntryRow, type VersionRow } from "../artifact-rows.js";
import type {
  ArtifactCollectionDto,
  ArtifactStorageDto,
  ArtifactStore,
  CommitVersionInput,
  CommitVersionResult,
  VersionRef,
} from "../artifact-store.js";
import { PgDistributedArtifacts } from "./pg-artifact-distributed.js";
import {
  collectionPk,
  dtos,
  ENTRY_COLUMNS,
  LIVE,
  lockCollection,
  placeAliases,
  versionByPk,
  VERSION_COLUMNS,
  VERSION_FROM,
  versionRow,
  writeTtl,
  writeVersion,
  type Db,
} from "./pg-artifact-rows.js";
import { bytesFreedBy, storageUsed } from "./pg-artifact-storage.js";
import { transaction } from "./pg-database.js";

export class PgArtifactStore implements ArtifactStore {
  readonly distributed: PgDistributedArtifacts;

  constructor(private readonly pool: pg.Pool) {
    this.distributed = new PgDistributedArtifacts(pool);
  }

  async commitVersion(input: CommitVersionInput): Promise<CommitVersionResult> {
    const aliases = userAliases(input.aliases, `${input.entity}/${input.project}/${input.name}`);
    return transaction(this.pool, async (client) => {
      await lockCollection(client, input.entity, input.project, input.name);
      const { status, version } = await writeVersion(client, input, aliases);
      return { status, version };
    });
  }

  async resolveVersion(ref: VersionRef): Promise<ArtifactVersionDto | null> {
    const row = await this.findVersion(this.pool, ref);
    return row === undefined ? null : versionByPk(this.pool, row.pk);
  }

  async readManifest(
    ref: VersionRef,
    afterPath: string | null,
    limit: number,
  ): Promise<ManifestEntry[] | null> {
    const version = await this.findVersion(this.pool, ref);
    if (version === undefined) return null;
    const { rows } = await this.pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM artifact_entries WHERE version_pk = $1 AND path > $2 ORDER BY path LIMIT $3`,
      [version.pk, afterPath ?? "", limit],
    );
    return rows.map(toEntry);
  }

  async listCollections(entity: string, project: string, type?: string): Promise<ArtifactCollectionDto[]> {
    const { rows } = await this.pool.query<{
      name: string;
      type: string;
      created_at: number;
      updated_at: number;
      versions: number;
      latest: number | null;
    }>(
      `SELECT c.name, c.type, c.created_at, c.updated_at,
         (SELECT COUNT(*) FROM artifact_versions v WHERE v.collection_pk = c.pk AND ${LIVE}) AS versions,
         (SELECT v.idx FROM artifact_aliases a JOIN artifact_versions v ON v.pk = a.version_pk
           WHERE a.collection_pk = c.pk AND a.alias = 'latest') AS latest
       FROM artifact_collections c
       WHERE c.entity = $1 AND c.project = $2 AND c.deleted_at IS NULL AND ($3::text IS NULL OR c.type = $3)
       ORDER BY c.type COLLATE "C", c.name COLLATE "C"`,
      [entity, project, type ?? null],
    );
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
  }

  async listVersions(entity: string, project: string, name: string): Promise<ArtifactVersionDto[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
       WHERE c.entity = $1 AND c.project = $2 AND c.name = $3 AND ${LIVE} ORDER BY v.idx DESC`,
      [entity, project, name],
    );
    return dtos(this.pool, rows);
  }

  async setAliases(ref: VersionRef, aliases: readonly string[], now: number): Promise<ArtifactVersionDto> {
    const wanted = userAliases(aliases, qualifiedName(ref));
    return this.write(ref, async (client, collection, row) => {
      const held = (await versionByPk(client, row.pk)).aliases;
      const drop = aliasesToDrop(held, wanted);
      if (drop.length > 0)
        await client.query(
          "DELETE FROM artifact_aliases WHERE collection_pk = $1 AND alias = ANY($2::text[])",
          [collection, drop],
        );
      await placeAliases(client, collection, row.pk, wanted, now);
      return versionByPk(client, row.pk);
    });
  }

  setTags(ref: VersionRef, tags: readonly string[]): Promise<ArtifactVersionDto> {
    return this.write(ref, async (client, _, row) => {
      await client.query("DELETE FROM artifact_tags WHERE version_pk = $1", [row.pk]);
      await client.query(
        "INSERT INTO artifact_tags (version_pk, tag) SELECT $1, t FROM unnest($2::text[]) t ON CONFLICT DO NOTHING",
        [row.pk, [...new Set(tags)]],
      );
      return versionByPk(client, row.pk);
    });
  }

  setTtl(ref: VersionRef, ttlS: number | null): Promise<ArtifactVersionDto> {
    return this.write(ref, async (client, _, row) => {
      await writeTtl(client, row.pk, ttlS);
      return versionByPk(client, row.pk);
    });
  }

  async collectionsWithExpired(now: number): Promise<{ entity: string; project: string; name: string }[]> {
    const { rows } = await this.pool.query<{ entity: string; project: string; name: string }>(
      `SELECT DISTINCT c.entity COLLATE "C" AS entity, c.project COLLATE "C" AS project, c.name COLLATE "C" AS name
       FROM ${VERSION_FROM} WHERE v.expires_at <= $1 AND ${LIVE} AND c.deleted_at IS NULL
       ORDER BY 1, 2, 3`,
      [now],
    );
    return rows;
  }

  recordUse(run: RunRef, ref: VersionRef, now: number): Promise<ArtifactVersionDto> {
    return transaction(this.pool, async (client) => {
      const row = await this.requireVersion(client, ref, true);
      await client.query(
        `INSERT INTO artifact_uses (version_pk, entity, project, run_id, used_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [row.pk, run.entity, run.project, run.runId, now],
      );
      return versionByPk(client, row.pk);
    });
  }

  async runLineage(run: RunRef): Promise<{ produced: ArtifactVersionDto[]; used: ArtifactVersionDto[] }> {
    const key = [run.entity, run.project, run.runId];
    const produced = await this.pool.query<VersionRow>(
      // The versions it logged or finished, and those it upserted into (distributed writers).
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
       WHERE v.pk IN (
         SELECT pk FROM artifact_versions
         WHERE producer_entity = $1 AND producer_project = $2 AND producer_run_id = $3
         UNION SELECT version_pk FROM artifact_version_writers
         WHERE entity = $1 AND project = $2 AND run_id = $3) AND ${LIVE}
       ORDER BY v.pk`,
      key,
    );
    const used = await this.pool.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM artifact_uses u JOIN ${VERSION_FROM} ON v.pk = u.version_pk
       WHERE u.entity = $1 AND u.project = $2 AND u.run_id = $3 AND ${LIVE} ORDER BY u.used_at, v.pk`,
      key,
    );
    return { produced: await dtos(this.pool, produced.rows), used: await dtos(this.pool, used.rows) };
  }

  async consumers(ref: VersionRef): Promise<RunRef[]> {
    const row = await this.findVersion(this.pool, ref);
    if (row === undefined) return [];
    const { rows } = await this.pool.query<{ entity: string; project: string; run_id: string }>(
      `SELECT entity, project, run_id FROM artifact_uses WHERE version_pk = $1 ORDER BY used_at, run_id COLLATE "C"`,
      [row.pk],
    );
    return rows.map((u) => ({ entity: u.entity, project: u.project, runId: u.run_id }));
  }

  deleteVersion(ref: VersionRef, now: number): Promise<ArtifactVersionDto> {
    return this.write(ref, async (client, collection, row) => {
      const deleted = await versionByPk(client, row.pk);
      await client.query("UPDATE artifact_versions SET deleted_at = $1 WHERE pk = $2", [now, row.pk]);
      await client.query("DELETE FROM artifact_aliases WHERE version_pk = $1", [row.pk]);
      const { rows } = await client.query<{ pk: number }>(
        `SELECT v.pk FROM artifact_versions v WHERE v.collection_pk = $1 AND ${LIVE} ORDER BY v.idx DESC LIMIT 1`,
        [collection],
      );
      const newest = rows[0];
      if (newest !== undefined) await placeAliases(client, collection, newest.pk, [LATEST_ALIAS], now);
      await client.query("UPDATE artifact_collections SET updated_at = $1 WHERE pk = $2", [now, collection]);
      return deleted;
    });
  }

  deleteCollection(entity: string, project: string, name: string, now: number): Promise<number> {
    return transaction(this.pool, async (client) => {
      await lockCollection(client, entity, project, name);
      const collection = await collectionPk(client, entity, project, name);
      if (collection === undefined)
        throw new NotFoundError(`no artifact collection ${entity}/${project}/${name}`);
      const deleted = await client.query(
        `UPDATE artifact_versions v SET deleted_at = $1 WHERE v.collection_pk = $2 AND ${LIVE}`,
        [now, collection],
      );
      await client.query("DELETE FROM artifact_aliases WHERE collection_pk = $1", [collection]);
      await client.query("UPDATE artifact_collections SET deleted_at = $1, updated_at = $1 WHERE pk = $2", [
        now,
        collection,
      ]);
      return deleted.rowCount ?? 0;
    });
  }

  bytesFreedBy(entity: string, project: string, name: string, versions: readonly string[]): Promise<number> {
    return bytesFreedBy(this.pool, { entity, project, name }, versions);
  }

  storageUsed(entity: string, project: string): Promise<ArtifactStorageDto> {
    return storageUsed(this.pool, entity, project);
  }

  /** `work` on a live version in a transaction holding its collection's lock; NotFoundError when none. */
  private write<T>(
    ref: VersionRef,
    work: (client: pg.PoolClient, collection: number, row: VersionRow) => Promise<T>,
  ): Promise<T> {
    return transaction(this.pool, async (client) => {
      await lockCollection(client, ref.entity, ref.project, ref.name);
      const row = await this.requireVersion(client, ref, false);
      return work(client, row.collection_pk, row);
    });
  }

  private async findVersion(db: Db, ref: VersionRef, share = false): Promise<VersionRow | undefined> {
    const collection = await collectionPk(db, ref.entity, ref.project, ref.name);
    if (collection === undefined) return undefined;
    const row = await versionRow(db, collection, ref.alias);
    if (row === undefined || !share) return row;
    // Kept from a concurrent delete until this transaction ends (a delete updates the row).
    const { rows } = await db.query(
      "SELECT 1 FROM artifact_versions WHERE pk = $1 AND deleted_at IS NULL FOR SHARE",
      [row.pk],
    );
    return rows.length > 0 ? row : undefined;
  }

  private async requireVersion(db: Db, ref: VersionRef, share: boolean): Promise<VersionRow> {
    const row = await this.findVersion(db, ref, share);
    if (row === undefined) throw new NotFoundError(`no artifact version ${qualifiedName(ref)}`);
    return row;
  }
}

function qualifiedName(ref: VersionRef): string {
  return `${ref.entity}/${ref.project}/${ref.name}:${ref.alias}`;
}
