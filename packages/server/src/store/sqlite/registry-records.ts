/**
 * The SQLite registry store (registry-store.ts; tables in registry-schema.ts). Every write is
 * one immediate transaction: the source version is resolved, the link made, aliases moved and
 * the audit records written together, so a reader of `:production` sees the old or the new
 * link, and the audit log never misses a change that happened. Which audit records each change
 * writes is domain/registry-audit.ts, shared with PostgreSQL.
 */
import type Database from "better-sqlite3";
import {
  NotFoundError,
  UsageError,
  type RegistryAuditDto,
  type RegistryCollectionDto,
  type RegistrySummaryDto,
  type RegistryVersionDto,
} from "@stepwise/protocol";
import { userAliases, versionIndex, versionName } from "../../domain/artifact-aliases.js";
import { aliasesToDrop } from "../../domain/artifact-commit.js";
import { aliasMoveAudit, aliasRemovedAudit, linkAudit, unlinkAudit } from "../../domain/registry-audit.js";
import type { VersionRef } from "../artifact-store.js";
import type {
  LinkInput,
  LinkResult,
  RegistryCollectionRef,
  RegistryStore,
  RegistryVersionRef,
} from "../registry-store.js";
import { LIVE, LIVE_COLLECTION, VERSION_COLUMNS, VERSION_FROM, type VersionRow } from "./artifact-dto.js";
import { LINK_COLUMNS, LINK_FROM, LIVE_LINK, RegistryRows, type LinkRow } from "./registry-rows.js";
import { settle } from "./settle.js";
import { asStoreError } from "./sqlite-storage-errors.js";

const qualified = (ref: RegistryCollectionRef) => `${ref.entity}/${ref.registry}/${ref.collection}`;
const sourceName = (row: VersionRow) => `${row.entity}/${row.project}/${row.name}:${versionName(row.idx)}`;

export class SqliteRegistryStore implements RegistryStore {
  private readonly rows: RegistryRows;

  constructor(private readonly db: Database.Database) {
    this.rows = new RegistryRows(db);
  }

  link(input: LinkInput): Promise<LinkResult> {
    const run = this.db.transaction((aliases: string[]): LinkResult => {
      const source = this.sourceRow(input.source);
      const collection = this.collectionFor(input, source);
      const existing = this.db
        .prepare<[number, number], { pk: number; idx: number }>(
          "SELECT pk, idx FROM registry_links WHERE collection_pk = ? AND version_pk = ?",
        )
        .get(collection, source.pk);
      let link: { pk: number; idx: number };
      if (existing !== undefined) link = existing;
      else {
        const next = this.db
          .prepare<[number], { next_idx: number }>("SELECT next_idx FROM registry_collections WHERE pk = ?")
          .get(collection);
        const idx = next?.next_idx ?? 0;
        const pk = Number(
          this.db
            .prepare(
              "INSERT INTO registry_links (collection_pk, idx, version_pk, linked_at, linked_by) VALUES (?, ?, ?, ?, ?)",
            )
            .run(collection, idx, source.pk, input.now, input.actor).lastInsertRowid,
        );
        this.db
          .prepare("UPDATE registry_collections SET next_idx = ?, updated_at = ? WHERE pk = ?")
          .run(idx + 1, input.now, collection);
        link = { pk, idx };
        this.rows.audit(
          collection,
          linkAudit(idx, sourceName(source), { actor: input.actor, at: input.now }),
        );
      }
      for (const alias of aliases) this.moveAlias(collection, alias, link, input.actor, input.now);
      return {
        status: existing === undefined ? "created" : "existing",
        version: this.dto(collection, link.idx),
      };
    });
    return this.work(() => run.immediate(userAliases(input.aliases, qualified(input))));
  }

  unlink(ref: RegistryVersionRef, actor: string, now: number): Promise<RegistryVersionDto> {
    const run = this.db.transaction((): RegistryVersionDto => {
      const { collection, row } = this.requireLink(ref);
      const answer = this.rows.dtos([row])[0];
      if (answer === undefined) throw new Error("registry link vanished");
      const held = this.rows.aliasesOf(row.link_pk);
      this.db.prepare("DELETE FROM registry_aliases WHERE link_pk = ?").run(row.link_pk);
      this.db.prepare("DELETE FROM registry_links WHERE pk = ?").run(row.link_pk);
      this.db.prepare("UPDATE registry_collections SET updated_at = ? WHERE pk = ?").run(now, collection);
      for (const entry of unlinkAudit(row.link_idx, held, sourceName(row), { actor, at: now }))
        this.rows.audit(collection, entry);
      return answer;
    });
    return this.work(() => run.immediate());
  }

  setAliases(
    ref: RegistryVersionRef,
    aliases: readonly string[],
    actor: string,
    now: number,
  ): Promise<RegistryVersionDto> {
    const run = this.db.transaction((wanted: string[]): RegistryVersionDto => {
      const { collection, row } = this.requireLink(ref);
      const link = { pk: row.link_pk, idx: row.link_idx };
      for (const alias of aliasesToDrop(this.rows.aliasesOf(row.link_pk), wanted)) {
        this.db
          .prepare("DELETE FROM registry_aliases WHERE collection_pk = ? AND alias = ?")
          .run(collection, alias);
        this.rows.audit(collection, aliasRemovedAudit(alias, row.link_idx, { actor, at: now }));
      }
      for (const alias of wanted) this.moveAlias(collection, alias, link, actor, now);
      return this.dto(collection, row.link_idx);
    });
    return this.work(() => run.immediate(userAliases(aliases, qualified(ref))));
  }

  resolve(ref: RegistryVersionRef): Promise<RegistryVersionDto | null> {
    return this.work(() => {
      const collection = this.rows.collectionPk(ref.entity, ref.registry, ref.collection);
      const row = collection === undefined ? undefined : this.rows.linkRow(collection, ref.alias);
      return row === undefined ? null : (this.rows.dtos([row])[0] ?? null);
    });
  }

  listRegistries(entity: string): Promise<RegistrySummaryDto[]> {
    return this.work(() =>
      this.db
        .prepare<[string], { registry: string; n: number; updated_at: number }>(
          `SELECT registry, COUNT(*) AS n, MAX(updated_at) AS updated_at FROM registry_collections
           WHERE entity = ? GROUP BY registry ORDER BY registry`,
        )
        .all(entity)
        .map((row) => ({ entity, name: row.registry, collectionCount: row.n, updatedAt: row.updated_at })),
    );
  }

  listCollections(entity: string, registry: string): Promise<RegistryCollectionDto[]> {
    return this.work(() => {
      const rows = this.db
        .prepare<
          [string, string],
          { pk: number; name: string; type: string; created_at: number; updated_at: number; n: number }
        >(
          `SELECT rc.pk, rc.name, rc.type, rc.created_at, rc.updated_at,
             (SELECT COUNT(*) FROM registry_links l JOIN artifact_versions v ON v.pk = l.version_pk
                JOIN artifact_collections c ON c.pk = v.collection_pk
              WHERE l.collection_pk = rc.pk AND ${LIVE_LINK}) AS n
           FROM registry_collections rc WHERE rc.entity = ? AND rc.registry = ? ORDER BY rc.name`,
        )
        .all(entity, registry);
      return rows.map((row) => {
        const newest = this.rows.newest(row.pk);
        return {
          entity,
          registry,
          name: row.name,
          type: row.type,
          versionCount: row.n,
          latest: newest === undefined ? null : versionName(newest.link_idx),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        };
      });
    });
  }

  listVersions(ref: RegistryCollectionRef): Promise<RegistryVersionDto[]> {
    return this.work(() => {
      const collection = this.rows.collectionPk(ref.entity, ref.registry, ref.collection);
      if (collection === undefined) return [];
      const rows = this.db
        .prepare<[number], LinkRow>(
          `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = ? AND ${LIVE_LINK} ORDER BY l.idx DESC`,
        )
        .all(collection);
      return this.rows.dtos(rows);
    });
  }

  linksOf(source: VersionRef): Promise<RegistryVersionDto[]> {
    return this.work(() => {
      const row = this.findSource(source);
      if (row === undefined) return [];
      const rows = this.db
        .prepare<[number], LinkRow>(
          `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.version_pk = ? AND ${LIVE_LINK} ORDER BY l.pk`,
        )
        .all(row.pk);
      return this.rows.dtos(rows);
    });
  }

  audit(
    entity: string,
    registry: string,
    collection: string | null,
    limit: number,
  ): Promise<RegistryAuditDto[]> {
    return this.work(() =>
      this.db
        .prepare<
          [string, string, string | null, string | null, number],
          Omit<RegistryAuditDto, "entity" | "registry"> & {
            from_version: string | null;
            to_version: string | null;
          }
        >(
          `SELECT a.id, rc.name AS collection, a.action, a.alias, a.from_version, a.to_version, a.artifact,
             a.actor, a.at
           FROM registry_audit a JOIN registry_collections rc ON rc.pk = a.collection_pk
           WHERE rc.entity = ? AND rc.registry = ? AND (? IS NULL OR rc.name = ?)
           ORDER BY a.id DESC LIMIT ?`,
        )
        .all(entity, registry, collection, collection, limit)
        .map((row) => ({
          id: row.id,
          entity,
          registry,
          collection: row.collection,
          action: row.action,
          alias: row.alias,
          from: row.from_version,
          to: row.to_version,
          artifact: row.artifact,
          actor: row.actor,
          at: row.at,
        })),
    );
  }

  /** Places `alias` on `link`, taking it from whichever link held it; audited when it moved. */
  private moveAlias(
    collection: number,
    alias: string,
    link: { pk: number; idx: number },
    actor: string,
    now: number,
  ) {
    const entry = aliasMoveAudit(alias, this.rows.aliasHolder(collection, alias), link, { actor, at: now });
    if (entry === null) return;
    this.db
      .prepare(
        `INSERT INTO registry_aliases (collection_pk, alias, link_pk, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection_pk, alias) DO UPDATE SET link_pk = excluded.link_pk, updated_at = excluded.updated_at`,
      )
      .run(collection, alias, link.pk, now);
    this.rows.audit(collection, entry);
  }

  private dto(collection: number, idx: number): RegistryVersionDto {
    const row = this.rows.linkRow(collection, versionName(idx));
    const dto = row === undefined ? undefined : this.rows.dtos([row])[0];
    if (dto === undefined) throw new Error(`registry link v${idx} vanished`);
    return dto;
  }

  private requireLink(ref: RegistryVersionRef): { collection: number; row: LinkRow } {
    const collection = this.rows.collectionPk(ref.entity, ref.registry, ref.collection);
    const row = collection === undefined ? undefined : this.rows.linkRow(collection, ref.alias);
    if (collection === undefined || row === undefined)
      throw new NotFoundError(`no version or alias '${ref.alias}' in registry collection ${qualified(ref)}`);
    return { collection, row };
  }

  private findSource(ref: VersionRef): VersionRow | undefined {
    const index = versionIndex(ref.alias);
    return this.db
      .prepare<[string, string, string, number, string], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
         WHERE c.entity = ? AND c.project = ? AND c.name = ? AND ${LIVE} AND ${LIVE_COLLECTION}
           AND (v.idx = ? OR v.pk = (SELECT a.version_pk FROM artifact_aliases a WHERE a.collection_pk = c.pk AND a.alias = ?))`,
      )
      .get(ref.entity, ref.project, ref.name, index ?? -1, index === null ? ref.alias : "");
  }

  private sourceRow(ref: VersionRef): VersionRow {
    const row = this.findSource(ref);
    if (row === undefined)
      throw new NotFoundError(
        `no artifact version ${ref.entity}/${ref.project}/${ref.name}:${ref.alias} to link; log it first (run.logArtifact)`,
      );
    return row;
  }

  private collectionFor(input: LinkInput, source: VersionRow): number {
    const existing = this.db
      .prepare<[string, string, string], { pk: number; type: string }>(
        "SELECT pk, type FROM registry_collections WHERE entity = ? AND registry = ? AND name = ?",
      )
      .get(input.entity, input.registry, input.collection);
    if (existing !== undefined) {
      if (existing.type !== source.type)
        throw new UsageError(
          `registry collection ${qualified(input)} holds '${existing.type}' artifacts; ${sourceName(source)} is a '${source.type}': link it into another collection`,
        );
      return existing.pk;
    }
    return Number(
      this.db
        .prepare(
          `INSERT INTO registry_collections (entity, registry, name, type, next_idx, created_at, updated_at)
           VALUES (?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(input.entity, input.registry, input.collection, source.type, input.now, input.now)
        .lastInsertRowid,
    );
  }

  private work<T>(work: () => T): Promise<T> {
    return settle(() => {
      try {
        return work();
      } catch (error) {
        throw asStoreError(error, this.db.name, null);
      }
    });
  }
}
