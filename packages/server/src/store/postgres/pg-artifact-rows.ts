/**
 * Reading and writing one artifact version's rows on PostgreSQL (tables in
 * pg-schema-artifacts.ts), inside the caller's transaction. What a commit decides comes from
 * domain/artifact-commit.ts, as on SQLite; what is read is mapped by store/artifact-rows.ts.
 * Locks: a write to a collection first takes its advisory lock (`lockCollection`), so two
 * servers committing to one collection number their versions one after the other and an alias
 * moves under one writer; a write that makes a manifest hold blobs takes the blob lock shared
 * (`holdBlobs`), which garbage collection takes exclusively (pg-artifact-blobs.ts).
 */
import type pg from "pg";
import { LATEST_ALIAS, type ArtifactVersionDto, type ManifestEntry } from "@stepwise/protocol";
import { versionIndex } from "../../domain/artifact-aliases.js";
import { checkArtifactType, planCommit } from "../../domain/artifact-commit.js";
import {
  entryColumns,
  groupValues,
  groupWriters,
  VERSION_INSERT_COLUMNS,
  versionDtos,
  versionValues,
  type VersionRow,
  type WriterRow,
} from "../artifact-rows.js";
import type { CommitVersionInput, CommitVersionResult } from "../artifact-store.js";

export type Db = pg.Pool | pg.PoolClient;

export const VERSION_COLUMNS = `v.pk, v.collection_pk, c.entity, c.project, c.name, c.type, v.idx, v.digest,
  v.description, v.metadata, v.file_count, v.size, v.producer_entity, v.producer_project,
  v.producer_run_id, v.created_at, v.ttl_s`;
export const VERSION_FROM = "artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk";
/** A live version (a deleted collection's versions are all deleted too). */
export const LIVE = "v.deleted_at IS NULL";
export const ENTRY_COLUMNS = "path, sha256, size, ref, ref_digest";

const LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";
/** One key for every manifest write: taken shared by writers, exclusively by collectBlob. */
export const ARTIFACT_BLOBS_KEY = "artifact-blobs";

/** The write lock of a collection name (it may not exist yet), for this transaction. */
export async function lockCollection(client: pg.PoolClient, entity: string, project: string, name: string) {
  await client.query(LOCK, [JSON.stringify(["artifact", entity, project, name])]);
}

/** Keeps garbage collection from freeing a blob while this transaction checks and records it. */
export async function holdBlobs(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))", [ARTIFACT_BLOBS_KEY]);
}

/**
 * Writes a version (`vN`, N one past the collection's highest) with `latest` and `aliases`, or
 * answers the latest `unchanged` (aliases placed) when the digest is its; the caller holds the
 * collection's lock. `pk`: the version's key.
 */
export async function writeVersion(
  client: pg.PoolClient,
  input: CommitVersionInput,
  aliases: readonly string[],
): Promise<CommitVersionResult & { pk: number }> {
  const collection = await collectionFor(client, input, `${input.entity}/${input.project}/${input.name}`);
  await holdBlobs(client);
  input.whileLocked?.();
  const latest = await versionRow(client, collection, LATEST_ALIAS);
  const { rows: top } = await client.query<{ top: number | null }>(
    "SELECT MAX(idx) AS top FROM artifact_versions WHERE collection_pk = $1",
    [collection],
  );
  const plan = planCommit(latest?.digest ?? null, top[0]?.top ?? null, input.digest, input.entries);
  if (plan.kind === "unchanged" && latest !== undefined) {
    await placeAliases(client, collection, latest.pk, aliases, input.now);
    // A TTL sent with unchanged content is the user's latest word on that version.
    if (input.ttlS !== undefined) await writeTtl(client, latest.pk, input.ttlS);
    return { status: "unchanged", version: await versionByPk(client, latest.pk), pk: latest.pk };
  }
  if (plan.kind !== "create") throw new Error("an unchanged commit without a latest version");
  const { rows } = await client.query<{ pk: number }>(
    `INSERT INTO artifact_versions (${VERSION_INSERT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING pk`,
    versionValues(collection, plan.index, plan.size, input),
  );
  const pk = rows[0]?.pk;
  if (pk === undefined) throw new Error("artifact version insert returned no key");
  if (input.ttlS !== undefined && input.ttlS !== null) await writeTtl(client, pk, input.ttlS);
  await insertEntries(client, "artifact_entries", "version_pk", pk, input.entries);
  await client.query(
    "INSERT INTO artifact_tags (version_pk, tag) SELECT $1, t FROM unnest($2::text[]) t ON CONFLICT DO NOTHING",
    [pk, [...input.tags]],
  );
  await placeAliases(client, collection, pk, [LATEST_ALIAS, ...aliases], input.now);
  await client.query("UPDATE artifact_collections SET updated_at = $1 WHERE pk = $2", [
    input.now,
    collection,
  ]);
  return { status: "created", version: await versionByPk(client, pk), pk };
}

/** Entries per statement: bounded parameters, and few round trips for a large manifest. */
const ENTRIES_PER_INSERT = 5000;

/** Inserts manifest entries into `table` (artifact_entries or artifact_pending_entries) under `key`. */
export async function insertEntries(
  client: pg.PoolClient,
  table: string,
  keyColumn: string,
  key: number,
  entries: readonly ManifestEntry[],
): Promise<void> {
  for (let from = 0; from < entries.length; from += ENTRIES_PER_INSERT) {
    const part = entries.slice(from, from + ENTRIES_PER_INSERT);
    const columns = part.map(entryColumns);
    await client.query(
      `INSERT INTO ${table} (${keyColumn}, path, sha256, size, ref, ref_digest)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])`,
      [
        key,
        part.map((e) => e.path),
        columns.map((c) => c.sha256),
        columns.map((c) => c.size),
        columns.map((c) => c.ref),
        columns.map((c) => c.ref_digest),
      ],
    );
  }
}

/**
 * The collection's key, created when new; a deleted collection's name is taken again (its
 * versions stay deleted, never renumbered). Refuses (UsageError) a live one of another type.
 */
export async function collectionFor(
  client: pg.PoolClient,
  input: { entity: string; project: string; name: string; type: string; now: number },
  qualified: string,
): Promise<number> {
  const { rows } = await client.query<{ pk: number; type: string; deleted: boolean }>(
    `SELECT pk, type, deleted_at IS NOT NULL AS deleted FROM artifact_collections
     WHERE entity = $1 AND project = $2 AND name = $3 FOR UPDATE`,
    [input.entity, input.project, input.name],
  );
  const existing = rows[0];
  if (existing?.deleted === true) {
    await client.query(
      "UPDATE artifact_collections SET deleted_at = NULL, type = $1, updated_at = $2 WHERE pk = $3",
      [input.type, input.now, existing.pk],
    );
    return existing.pk;
  }
  if (existing !== undefined) {
    checkArtifactType(existing.type, input.type, qualified);
    return existing.pk;
  }
  const inserted = await client.query<{ pk: number }>(
    `INSERT INTO artifact_collections (entity, project, name, type, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING pk`,
    [input.entity, input.project, input.name, input.type, input.now],
  );
  const pk = inserted.rows[0]?.pk;
  if (pk === undefined) throw new Error("artifact collection insert returned no key");
  return pk;
}

/** The live collection's key, or undefined. */
export async function collectionPk(db: Db, entity: string, project: string, name: string) {
  const { rows } = await db.query<{ pk: number }>(
    `SELECT pk FROM artifact_collections WHERE entity = $1 AND project = $2 AND name = $3
       AND deleted_at IS NULL`,
    [entity, project, name],
  );
  return rows[0]?.pk;
}

/** The live version a version name or an alias names within a collection. */
export async function versionRow(db: Db, collection: number, alias: string): Promise<VersionRow | undefined> {
  const index = versionIndex(alias);
  const { rows } =
    index !== null
      ? await db.query<VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.collection_pk = $1 AND v.idx = $2 AND ${LIVE}`,
          [collection, index],
        )
      : await db.query<VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM artifact_aliases a JOIN ${VERSION_FROM} ON v.pk = a.version_pk
           WHERE a.collection_pk = $1 AND a.alias = $2 AND ${LIVE}`,
          [collection, alias],
        );
  return rows[0];
}

/** Moves each alias onto the version (an alias names one version of its collection). */
export async function placeAliases(
  client: pg.PoolClient,
  collection: number,
  versionPk: number,
  aliases: readonly string[],
  now: number,
): Promise<void> {
  if (aliases.length === 0) return;
  await client.query(
    `INSERT INTO artifact_aliases (collection_pk, alias, version_pk, updated_at)
     SELECT $1, a, $2, $3 FROM unnest($4::text[]) a
     ON CONFLICT (collection_pk, alias) DO UPDATE SET version_pk = excluded.version_pk, updated_at = excluded.updated_at`,
    [collection, versionPk, now, [...aliases]],
  );
}

/** Sets (null: removes) a version's time to live, counted from its creation. */
export async function writeTtl(client: pg.PoolClient, versionPk: number, ttlS: number | null): Promise<void> {
  await client.query(
    "UPDATE artifact_versions SET ttl_s = $1::bigint, expires_at = created_at + $1::bigint WHERE pk = $2",
    [ttlS, versionPk],
  );
}

/** A version by key, deleted or not. */
export async function versionByPk(db: Db, pk: number): Promise<ArtifactVersionDto> {
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.pk = $1`,
    [pk],
  );
  const [dto] = await dtos(db, rows);
  if (dto === undefined) throw new Error(`artifact version ${pk} vanished`);
  return dto;
}

/** The DTOs of `rows`, in their order: tags, aliases and writers read in one query each. */
export async function dtos(db: Db, rows: readonly VersionRow[]): Promise<ArtifactVersionDto[]> {
  if (rows.length === 0) return [];
  const pks = rows.map((row) => row.pk);
  const tags = await db.query<{ pk: number; value: string }>(
    `SELECT version_pk AS pk, tag AS value FROM artifact_tags WHERE version_pk = ANY($1::bigint[])
     ORDER BY version_pk, tag`,
    [pks],
  );
  const aliases = await db.query<{ pk: number; value: string }>(
    `SELECT version_pk AS pk, alias AS value FROM artifact_aliases WHERE version_pk = ANY($1::bigint[])
     ORDER BY version_pk, alias = 'latest' DESC, alias COLLATE "C"`,
    [pks],
  );
  const writers = await db.query<WriterRow>(
    `SELECT version_pk AS pk, entity, project, run_id FROM artifact_version_writers
     WHERE version_pk = ANY($1::bigint[]) ORDER BY version_pk, seq`,
    [pks],
  );
  return versionDtos(rows, groupValues(tags.rows), groupValues(aliases.rows), groupWriters(writers.rows));
}
