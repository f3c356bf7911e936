/**
 * Writing and reading one version's rows, shared by the SQLite artifact store's whole commits
 * (artifact-records.ts) and distributed finishes (artifact-distributed-records.ts). Each
 * function runs inside the caller's write transaction: a version, its entries, tags and aliases
 * appear together or not at all, and the next version's index is taken in that transaction.
 * What a commit decides (numbering, the unchanged re-log, the type) is domain/artifact-commit.ts,
 * shared with PostgreSQL.
 */
import type Database from "better-sqlite3";
import { LATEST_ALIAS, type ArtifactVersionDto } from "@stepwise/protocol";
import { versionIndex, versionName } from "../../domain/artifact-aliases.js";
import { checkArtifactType, planCommit } from "../../domain/artifact-commit.js";
import { entryColumns, VERSION_INSERT_COLUMNS, versionValues } from "../artifact-rows.js";
import { LIVE, VERSION_COLUMNS, VERSION_FROM, versionDtos, type VersionRow } from "./artifact-dto.js";
import type { CommitVersionInput, CommitVersionResult } from "../artifact-store.js";

/**
 * Writes a version (`vN`, N one past the collection's highest) with `latest` and `aliases` on
 * it, or answers the latest version `unchanged` (with `aliases` placed) when the digest is its.
 */
export function writeVersion(
  db: Database.Database,
  input: CommitVersionInput,
  aliases: string[],
): CommitVersionResult {
  const qualified = `${input.entity}/${input.project}/${input.name}`;
  const collection = collectionFor(db, input, qualified);
  input.whileLocked?.();
  const latest = versionRow(db, collection, LATEST_ALIAS);
  const top =
    db
      .prepare<[number], { top: number | null }>(
        "SELECT MAX(idx) AS top FROM artifact_versions WHERE collection_pk = ?",
      )
      .get(collection)?.top ?? null;
  const plan = planCommit(latest?.digest ?? null, top, input.digest, input.entries);
  if (plan.kind === "unchanged" && latest !== undefined) {
    placeAliases(db, collection, latest.pk, aliases, input.now);
    // A TTL sent with unchanged content is the user's latest word on that version.
    if (input.ttlS !== undefined) writeTtl(db, latest.pk, input.ttlS);
    return { status: "unchanged", version: toDto(db, versionRow(db, collection, LATEST_ALIAS) ?? latest) };
  }
  if (plan.kind !== "create") throw new Error("an unchanged commit without a latest version");
  const next = plan.index;
  const versionPk = Number(
    db
      .prepare(
        `INSERT INTO artifact_versions (${VERSION_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...versionValues(collection, next, plan.size, input)).lastInsertRowid,
  );
  if (input.ttlS !== undefined && input.ttlS !== null) writeTtl(db, versionPk, input.ttlS);
  const insertEntry = db.prepare(
    "INSERT INTO artifact_entries (version_pk, path, sha256, size, ref, ref_digest) VALUES (?, ?, ?, ?, ?, ?)",
  );
  for (const entry of input.entries) {
    const c = entryColumns(entry);
    insertEntry.run(versionPk, entry.path, c.sha256, c.size, c.ref, c.ref_digest);
  }
  const insertTag = db.prepare("INSERT OR IGNORE INTO artifact_tags (version_pk, tag) VALUES (?, ?)");
  for (const tag of input.tags) insertTag.run(versionPk, tag);
  placeAliases(db, collection, versionPk, [LATEST_ALIAS, ...aliases], input.now);
  db.prepare("UPDATE artifact_collections SET updated_at = ? WHERE pk = ?").run(input.now, collection);
  const created = versionRow(db, collection, versionName(next));
  if (created === undefined) throw new Error(`artifact version ${qualified}:v${next} vanished`);
  return { status: "created", version: toDto(db, created) };
}

/**
 * The collection's key, created when new; a deleted collection's name is taken again. Refuses
 * (UsageError) a live collection of another type.
 */
export function collectionFor(
  db: Database.Database,
  input: { entity: string; project: string; name: string; type: string; now: number },
  qualified: string,
): number {
  const existing = db
    .prepare<[string, string, string], { pk: number; type: string; deleted: number }>(
      `SELECT pk, type, EXISTS (SELECT 1 FROM artifact_deleted_collections dc WHERE dc.collection_pk = pk)
         AS deleted FROM artifact_collections WHERE entity = ? AND project = ? AND name = ?`,
    )
    .get(input.entity, input.project, input.name);
  if (existing !== undefined && existing.deleted === 1) {
    // A deleted collection's name is free again; its versions stay deleted and are never renumbered.
    db.prepare("DELETE FROM artifact_deleted_collections WHERE collection_pk = ?").run(existing.pk);
    db.prepare("UPDATE artifact_collections SET type = ?, updated_at = ? WHERE pk = ?").run(
      input.type,
      input.now,
      existing.pk,
    );
    return existing.pk;
  }
  if (existing !== undefined) {
    checkArtifactType(existing.type, input.type, qualified);
    return existing.pk;
  }
  return Number(
    db
      .prepare(
        `INSERT INTO artifact_collections (entity, project, name, type, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(input.entity, input.project, input.name, input.type, input.now, input.now).lastInsertRowid,
  );
}

/** The version a version name or an alias names within a collection. */
export function versionRow(db: Database.Database, collection: number, alias: string): VersionRow | undefined {
  const index = versionIndex(alias);
  if (index !== null) {
    return db
      .prepare<[number, number], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.collection_pk = ? AND v.idx = ? AND ${LIVE}`,
      )
      .get(collection, index);
  }
  return db
    .prepare<[number, string], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM artifact_aliases a JOIN artifact_versions v ON v.pk = a.version_pk
         JOIN artifact_collections c ON c.pk = v.collection_pk
       WHERE a.collection_pk = ? AND a.alias = ? AND ${LIVE}`,
    )
    .get(collection, alias);
}

/** Moves each alias onto the version (an alias names one version of its collection). */
export function placeAliases(
  db: Database.Database,
  collection: number,
  versionPk: number,
  aliases: readonly string[],
  now: number,
): void {
  const place = db.prepare(
    `INSERT INTO artifact_aliases (collection_pk, alias, version_pk, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (collection_pk, alias) DO UPDATE SET version_pk = excluded.version_pk, updated_at = excluded.updated_at`,
  );
  for (const alias of aliases) place.run(collection, alias, versionPk, now);
}

export function toDto(db: Database.Database, row: VersionRow): ArtifactVersionDto {
  const [dto] = versionDtos(db, [row]);
  if (dto === undefined) throw new Error("artifact version row without a DTO");
  return dto;
}

/** Sets (null: removes) a version's time to live, counted from its creation. */
export function writeTtl(db: Database.Database, versionPk: number, ttlS: number | null): void {
  if (ttlS === null) {
    db.prepare("DELETE FROM artifact_version_ttls WHERE version_pk = ?").run(versionPk);
    return;
  }
  db.prepare(
    `INSERT INTO artifact_version_ttls (version_pk, ttl_s, expires_at)
     SELECT pk, ?, created_at + ? FROM artifact_versions WHERE pk = ?
     ON CONFLICT (version_pk) DO UPDATE SET ttl_s = excluded.ttl_s, expires_at = excluded.expires_at`,
  ).run(ttlS, ttlS, versionPk);
}
