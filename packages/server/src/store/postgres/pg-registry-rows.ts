/**
 * Reads of the registry tables on PostgreSQL (pg-schema-artifacts.ts) as the store's DTOs: a
 * link joined with the artifact version it points at (read as the artifact store reads it,
 * pg-artifact-rows.ts), its aliases, and `latest` — not stored: the collection's newest live
 * link. A link whose artifact version was deleted is no longer listed or resolved.
 */
import { LATEST_ALIAS, type RegistryAuditDto, type RegistryVersionDto } from "@stepwise/protocol";
import { versionIndex, versionName } from "../../domain/artifact-aliases.js";
import { groupValues } from "../artifact-rows.js";
import { LINK_FROM, linkColumns, linkDto, type LinkRow } from "../registry-rows.js";
import { dtos as versionDtos, LIVE, VERSION_COLUMNS, type Db } from "./pg-artifact-rows.js";

export type { LinkRow } from "../registry-rows.js";
export { LINK_FROM } from "../registry-rows.js";
export const LINK_COLUMNS = linkColumns(VERSION_COLUMNS);
export const LIVE_LINK = `${LIVE} AND c.deleted_at IS NULL`;

export async function registryCollectionPk(db: Db, entity: string, registry: string, name: string) {
  const { rows } = await db.query<{ pk: number }>(
    "SELECT pk FROM registry_collections WHERE entity = $1 AND registry = $2 AND name = $3",
    [entity, registry, name],
  );
  return rows[0]?.pk;
}

/** The live link a version name, `latest` or an alias names in a collection. */
export async function linkRow(db: Db, collection: number, alias: string): Promise<LinkRow | undefined> {
  const index = versionIndex(alias);
  if (alias === LATEST_ALIAS) return newest(db, collection);
  const { rows } =
    index !== null
      ? await db.query<LinkRow>(
          `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = $1 AND l.idx = $2 AND ${LIVE_LINK}`,
          [collection, index],
        )
      : await db.query<LinkRow>(
          `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} JOIN registry_aliases a ON a.link_pk = l.pk
           WHERE a.collection_pk = $1 AND a.alias = $2 AND ${LIVE_LINK}`,
          [collection, alias],
        );
  return rows[0];
}

export async function newest(db: Db, collection: number): Promise<LinkRow | undefined> {
  const { rows } = await db.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = $1 AND ${LIVE_LINK}
     ORDER BY l.idx DESC LIMIT 1`,
    [collection],
  );
  return rows[0];
}

/** The link holding `alias` in a collection now (its version name), or null. */
export async function aliasHolder(
  db: Db,
  collection: number,
  alias: string,
): Promise<{ linkPk: number; version: string } | null> {
  const { rows } = await db.query<{ link_pk: number; idx: number }>(
    `SELECT a.link_pk, l.idx FROM registry_aliases a JOIN registry_links l ON l.pk = a.link_pk
     WHERE a.collection_pk = $1 AND a.alias = $2`,
    [collection, alias],
  );
  const row = rows[0];
  return row === undefined ? null : { linkPk: row.link_pk, version: versionName(row.idx) };
}

export async function aliasesOf(db: Db, linkPk: number): Promise<string[]> {
  const { rows } = await db.query<{ alias: string }>(
    `SELECT alias FROM registry_aliases WHERE link_pk = $1 ORDER BY alias COLLATE "C"`,
    [linkPk],
  );
  return rows.map((row) => row.alias);
}

/** The DTOs of `rows` in their order, with each link's aliases (`latest` first on the newest). */
export async function linkDtos(db: Db, rows: readonly LinkRow[]): Promise<RegistryVersionDto[]> {
  if (rows.length === 0) return [];
  const artifacts = await versionDtos(db, rows);
  const aliases = await db.query<{ pk: number; value: string }>(
    `SELECT link_pk AS pk, alias AS value FROM registry_aliases WHERE link_pk = ANY($1::bigint[])
     ORDER BY link_pk, alias COLLATE "C"`,
    [rows.map((row) => row.link_pk)],
  );
  const byLink = groupValues(aliases.rows);
  const newestByCollection = new Map<number, number | undefined>();
  for (const row of rows)
    if (!newestByCollection.has(row.link_collection_pk))
      newestByCollection.set(row.link_collection_pk, (await newest(db, row.link_collection_pk))?.link_pk);
  return rows.map((row, i) => {
    const held = [...(byLink.get(row.link_pk) ?? [])];
    if (newestByCollection.get(row.link_collection_pk) === row.link_pk) held.unshift(LATEST_ALIAS);
    return linkDto(row, held, artifacts[i]);
  });
}

export async function writeAudit(
  db: Db,
  collection: number,
  entry: Omit<RegistryAuditDto, "id" | "entity" | "registry" | "collection">,
): Promise<void> {
  await db.query(
    `INSERT INTO registry_audit (collection_pk, action, alias, from_version, to_version, artifact, actor, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [collection, entry.action, entry.alias, entry.from, entry.to, entry.artifact, entry.actor, entry.at],
  );
}
