/**
 * Reads of the registry tables (registry-schema.ts) as the store's DTOs: a link joined with the
 * artifact version it points at (read through artifact-dto.ts, so both pages show one version
 * alike), its aliases, and `latest` — not stored: the collection's newest live link.
 */
import type Database from "better-sqlite3";
import { LATEST_ALIAS, type RegistryAuditDto, type RegistryVersionDto } from "@stepwise/protocol";
import { versionIndex, versionName } from "../../domain/artifact-aliases.js";
import { LIVE, LIVE_COLLECTION, VERSION_COLUMNS, versionDtos } from "./artifact-dto.js";
import { LINK_FROM, linkColumns, linkDto, type LinkRow } from "../registry-rows.js";

export type { LinkRow } from "../registry-rows.js";
export { LINK_FROM } from "../registry-rows.js";
export const LINK_COLUMNS = linkColumns(VERSION_COLUMNS);
/** A link whose artifact version (or collection) was deleted is no longer listed or resolved. */
export const LIVE_LINK = `${LIVE} AND ${LIVE_COLLECTION}`;

export class RegistryRows {
  constructor(private readonly db: Database.Database) {}

  collectionPk(entity: string, registry: string, name: string): number | undefined {
    return this.db
      .prepare<[string, string, string], { pk: number }>(
        "SELECT pk FROM registry_collections WHERE entity = ? AND registry = ? AND name = ?",
      )
      .get(entity, registry, name)?.pk;
  }

  /** The live link a version name, `latest` or an alias names in a collection. */
  linkRow(collection: number, alias: string): LinkRow | undefined {
    const index = versionIndex(alias);
    if (index !== null)
      return this.db
        .prepare<[number, number], LinkRow>(
          `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = ? AND l.idx = ? AND ${LIVE_LINK}`,
        )
        .get(collection, index);
    if (alias === LATEST_ALIAS) return this.newest(collection);
    return this.db
      .prepare<[number, string], LinkRow>(
        `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} JOIN registry_aliases a ON a.link_pk = l.pk
         WHERE a.collection_pk = ? AND a.alias = ? AND ${LIVE_LINK}`,
      )
      .get(collection, alias);
  }

  newest(collection: number): LinkRow | undefined {
    return this.db
      .prepare<[number], LinkRow>(
        `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = ? AND ${LIVE_LINK}
         ORDER BY l.idx DESC LIMIT 1`,
      )
      .get(collection);
  }

  /** The version name of the link holding `alias` in a collection now, or null. */
  aliasHolder(collection: number, alias: string): { linkPk: number; version: string } | null {
    const row = this.db
      .prepare<[number, string], { link_pk: number; idx: number }>(
        `SELECT a.link_pk, l.idx FROM registry_aliases a JOIN registry_links l ON l.pk = a.link_pk
         WHERE a.collection_pk = ? AND a.alias = ?`,
      )
      .get(collection, alias);
    return row === undefined ? null : { linkPk: row.link_pk, version: versionName(row.idx) };
  }

  aliasesOf(linkPk: number): string[] {
    return this.db
      .prepare<[number], { alias: string }>(
        "SELECT alias FROM registry_aliases WHERE link_pk = ? ORDER BY alias",
      )
      .all(linkPk)
      .map((row) => row.alias);
  }

  /** The DTOs of `rows` in their order, with each link's aliases (`latest` first on the newest). */
  dtos(rows: readonly LinkRow[]): RegistryVersionDto[] {
    const artifacts = versionDtos(this.db, rows);
    const newestByCollection = new Map<number, number | undefined>();
    return rows.map((row, i) => {
      if (!newestByCollection.has(row.link_collection_pk))
        newestByCollection.set(row.link_collection_pk, this.newest(row.link_collection_pk)?.link_pk);
      const aliases = this.aliasesOf(row.link_pk);
      if (newestByCollection.get(row.link_collection_pk) === row.link_pk) aliases.unshift(LATEST_ALIAS);
      return linkDto(row, aliases, artifacts[i]);
    });
  }

  audit(
    collection: number,
    entry: Omit<RegistryAuditDto, "id" | "entity" | "registry" | "collection">,
  ): void {
    this.db
      .prepare(
        `INSERT INTO registry_audit (collection_pk, action, alias, from_version, to_version, artifact, actor, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        collection,
        entry.action,
        entry.alias,
        entry.from,
        entry.to,
        entry.artifact,
        entry.actor,
        entry.at,
      );
  }
}
