/**
 * The PostgreSQL registry store (registry-store.ts; tables in pg-schema-artifacts.ts). Every
 * write is one transaction holding the registry collection's advisory lock, so that servers
 * sharing the database number links one after the other and move an alias under one writer;
 * a link keeps its source version from a concurrent delete (FOR SHARE on its row), and the
 * audit records are written in the same transaction (domain/registry-audit.ts says which).
 */
import type pg from "pg";
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
import type { VersionRow } from "../artifact-rows.js";
import type { VersionRef } from "../artifact-store.js";
import type {
  LinkInput,
  LinkResult,
  RegistryCollectionRef,
  RegistryStore,
  RegistryVersionRef,
} from "../registry-store.js";
import { LIVE, VERSION_COLUMNS, VERSION_FROM, type Db } from "./pg-artifact-rows.js";
import { transaction } from "./pg-database.js";
import {
  aliasesOf,
  aliasHolder,
  LINK_COLUMNS,
  LINK_FROM,
  linkDtos,
  linkRow,
  LIVE_LINK,
  newest,
  registryCollectionPk,
  writeAudit,
  type LinkRow,
} from "./pg-registry-rows.js";

const qualified = (ref: RegistryCollectionRef) => `${ref.entity}/${ref.registry}/${ref.collection}`;
const sourceName = (row: VersionRow) => `${row.entity}/${row.project}/${row.name}:${versionName(row.idx)}`;

export class PgRegistryStore implements RegistryStore {
  constructor(private readonly pool: pg.Pool) {}

  async link(input: LinkInput): Promise<LinkResult> {
    const aliases = userAliases(input.aliases, qualified(input));
    const who = { actor: input.actor, at: input.now };
    return this.write(input, async (client) => {
      const source = await findSource(client, input.source, true);
      if (source === undefined)
        throw new NotFoundError(
          `no artifact version ${input.source.entity}/${input.source.project}/${input.source.name}:${input.source.alias} to link; log it first (run.logArtifact)`,
        );
      const collection = await this.collectionFor(client, input, source);
      const { rows } = await client.query<{ pk: number; idx: number }>(
        "SELECT pk, idx FROM registry_links WHERE collection_pk = $1 AND version_pk = $2",
        [collection.pk, source.pk],
      );
      let link = rows[0];
      const existing = link !== undefined;
      if (link === undefined) {
        const idx = collection.nextIdx;
        const inserted = await client.query<{ pk: number }>(
          `INSERT INTO registry_links (collection_pk, idx, version_pk, linked_at, linked_by)
           VALUES ($1, $2, $3, $4, $5) RETURNING pk`,
          [collection.pk, idx, source.pk, input.now, input.actor],
        );
        const pk = inserted.rows[0]?.pk;
        if (pk === undefined) throw new Error("registry link insert returned no key");
        await client.query("UPDATE registry_collections SET next_idx = $1, updated_at = $2 WHERE pk = $3", [
          idx + 1,
          input.now,
          collection.pk,
        ]);
        link = { pk, idx };
        await writeAudit(client, collection.pk, linkAudit(idx, sourceName(source), who));
      }
      for (const alias of aliases) await moveAlias(client, collection.pk, alias, link, who);
      return {
        status: existing ? "existing" : "created",
        version: await dto(client, collection.pk, link.idx),
      };
    });
  }

  unlink(ref: RegistryVersionRef, actor: string, now: number): Promise<RegistryVersionDto> {
    return this.write(ref, async (client) => {
      const { collection, row } = await requireLink(client, ref);
      const [answer] = await linkDtos(client, [row]);
      if (answer === undefined) throw new Error("registry link vanished");
      const held = await aliasesOf(client, row.link_pk);
      await client.query("DELETE FROM registry_aliases WHERE link_pk = $1", [row.link_pk]);
      await client.query("DELETE FROM registry_links WHERE pk = $1", [row.link_pk]);
      await client.query("UPDATE registry_collections SET updated_at = $1 WHERE pk = $2", [now, collection]);
      for (const entry of unlinkAudit(row.link_idx, held, sourceName(row), { actor, at: now }))
        await writeAudit(client, collection, entry);
      return answer;
    });
  }

  async setAliases(
    ref: RegistryVersionRef,
    aliases: readonly string[],
    actor: string,
    now: number,
  ): Promise<RegistryVersionDto> {
    const wanted = userAliases(aliases, qualified(ref));
    const who = { actor, at: now };
    return this.write(ref, async (client) => {
      const { collection, row } = await requireLink(client, ref);
      for (const alias of aliasesToDrop(await aliasesOf(client, row.link_pk), wanted)) {
        await client.query("DELETE FROM registry_aliases WHERE collection_pk = $1 AND alias = $2", [
          collection,
          alias,
        ]);
        await writeAudit(client, collection, aliasRemovedAudit(alias, row.link_idx, who));
      }
      const link = { pk: row.link_pk, idx: row.link_idx };
      for (const alias of wanted) await moveAlias(client, collection, alias, link, who);
      return dto(client, collection, row.link_idx);
    });
  }

  async resolve(ref: RegistryVersionRef): Promise<RegistryVersionDto | null> {
    const collection = await registryCollectionPk(this.pool, ref.entity, ref.registry, ref.collection);
    const row = collection === undefined ? undefined : await linkRow(this.pool, collection, ref.alias);
    return row === undefined ? null : ((await linkDtos(this.pool, [row]))[0] ?? null);
  }

  async listRegistries(entity: string): Promise<RegistrySummaryDto[]> {
    const { rows } = await this.pool.query<{ registry: string; n: number; updated_at: number }>(
      `SELECT registry, COUNT(*) AS n, MAX(updated_at) AS updated_at FROM registry_collections
       WHERE entity = $1 GROUP BY registry ORDER BY registry COLLATE "C"`,
      [entity],
    );
    return rows.map((row) => ({
      entity,
      name: row.registry,
      collectionCount: row.n,
      updatedAt: row.updated_at,
    }));
  }

  async listCollections(entity: string, registry: string): Promise<RegistryCollectionDto[]> {
    const { rows } = await this.pool.query<{
      pk: number;
      name: string;
      type: string;
      created_at: number;
      updated_at: number;
      n: number;
    }>(
      `SELECT rc.pk, rc.name, rc.type, rc.created_at, rc.updated_at,
         (SELECT COUNT(*) FROM registry_links l JOIN artifact_versions v ON v.pk = l.version_pk
            JOIN artifact_collections c ON c.pk = v.collection_pk
          WHERE l.collection_pk = rc.pk AND ${LIVE_LINK}) AS n
       FROM registry_collections rc WHERE rc.entity = $1 AND rc.registry = $2 ORDER BY rc.name COLLATE "C"`,
      [entity, registry],
    );
    const out: RegistryCollectionDto[] = [];
    for (const row of rows) {
      const top = await newest(this.pool, row.pk);
      out.push({
        entity,
        registry,
        name: row.name,
        type: row.type,
        versionCount: row.n,
        latest: top === undefined ? null : versionName(top.link_idx),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
    }
    return out;
  }

  async listVersions(ref: RegistryCollectionRef): Promise<RegistryVersionDto[]> {
    const collection = await registryCollectionPk(this.pool, ref.entity, ref.registry, ref.collection);
    if (collection === undefined) return [];
    const { rows } = await this.pool.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.collection_pk = $1 AND ${LIVE_LINK} ORDER BY l.idx DESC`,
      [collection],
    );
    return linkDtos(this.pool, rows);
  }

  async linksOf(source: VersionRef): Promise<RegistryVersionDto[]> {
    const row = await findSource(this.pool, source, false);
    if (row === undefined) return [];
    const { rows } = await this.pool.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM ${LINK_FROM} WHERE l.version_pk = $1 AND ${LIVE_LINK} ORDER BY l.pk`,
      [row.pk],
    );
    return linkDtos(this.pool, rows);
  }

  async audit(
    entity: string,
    registry: string,
    collection: string | null,
    limit: number,
  ): Promise<RegistryAuditDto[]> {
    const { rows } = await this.pool.query<
      Omit<RegistryAuditDto, "entity" | "registry" | "from" | "to"> & {
        from_version: string | null;
        to_version: string | null;
      }
    >(
      `SELECT a.id, rc.name AS collection, a.action, a.alias, a.from_version, a.to_version, a.artifact, a.actor, a.at
       FROM registry_audit a JOIN registry_collections rc ON rc.pk = a.collection_pk
       WHERE rc.entity = $1 AND rc.registry = $2 AND ($3::text IS NULL OR rc.name = $3)
       ORDER BY a.id DESC LIMIT $4`,
      [entity, registry, collection, limit],
    );
    return rows.map((row) => ({
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
    }));
  }

  /** `work` in a transaction holding the registry collection's lock (it may not exist yet). */
  private write<T>(ref: RegistryCollectionRef, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        JSON.stringify(["registry", ref.entity, ref.registry, ref.collection]),
      ]);
      return work(client);
    });
  }

  private async collectionFor(
    client: pg.PoolClient,
    input: LinkInput,
    source: VersionRow,
  ): Promise<{ pk: number; nextIdx: number }> {
    const { rows } = await client.query<{ pk: number; type: string; next_idx: number }>(
      "SELECT pk, type, next_idx FROM registry_collections WHERE entity = $1 AND registry = $2 AND name = $3",
      [input.entity, input.registry, input.collection],
    );
    const existing = rows[0];
    if (existing !== undefined) {
      if (existing.type !== source.type)
        throw new UsageError(
          `registry collection ${qualified(input)} holds '${existing.type}' artifacts; ${sourceName(source)} is a '${source.type}': link it into another collection`,
        );
      return { pk: existing.pk, nextIdx: existing.next_idx };
    }
    const inserted = await client.query<{ pk: number }>(
      `INSERT INTO registry_collections (entity, registry, name, type, next_idx, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING pk`,
      [input.entity, input.registry, input.collection, source.type, input.now],
    );
    const pk = inserted.rows[0]?.pk;
    if (pk === undefined) throw new Error("registry collection insert returned no key");
    return { pk, nextIdx: 0 };
  }
}

/** Places `alias` on `link`, taking it from whichever link held it; audited when it moved. */
async function moveAlias(
  client: pg.PoolClient,
  collection: number,
  alias: string,
  link: { pk: number; idx: number },
  who: { actor: string; at: number },
): Promise<void> {
  const entry = aliasMoveAudit(alias, await aliasHolder(client, collection, alias), link, who);
  if (entry === null) return;
  await client.query(
    `INSERT INTO registry_aliases (collection_pk, alias, link_pk, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (collection_pk, alias) DO UPDATE SET link_pk = excluded.link_pk, updated_at = excluded.updated_at`,
    [collection, alias, link.pk, who.at],
  );
  await writeAudit(client, collection, entry);
}

async function dto(db: Db, collection: number, idx: number): Promise<RegistryVersionDto> {
  const row = await linkRow(db, collection, versionName(idx));
  const [answer] = row === undefined ? [] : await linkDtos(db, [row]);
  if (answer === undefined) throw new Error(`registry link v${idx} vanished`);
  return answer;
}

async function requireLink(db: Db, ref: RegistryVersionRef): Promise<{ collection: number; row: LinkRow }> {
  const collection = await registryCollectionPk(db, ref.entity, ref.registry, ref.collection);
  const row = collection === undefined ? undefined : await linkRow(db, collection, ref.alias);
  if (collection === undefined || row === undefined)
    throw new NotFoundError(`no version or alias '${ref.alias}' in registry collection ${qualified(ref)}`);
  return { collection, row };
}

/** The live artifact version a link names; `share`: kept from a concurrent delete until the transaction ends. */
async function findSource(db: Db, ref: VersionRef, share: boolean): Promise<VersionRow | undefined> {
  const index = versionIndex(ref.alias);
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM}
     WHERE c.entity = $1 AND c.project = $2 AND c.name = $3 AND ${LIVE} AND c.deleted_at IS NULL
       AND (v.idx = $4 OR v.pk = (SELECT a.version_pk FROM artifact_aliases a WHERE a.collection_pk = c.pk AND a.alias = $5))
     ${share ? "FOR SHARE OF v" : ""}`,
    [ref.entity, ref.project, ref.name, index ?? -1, index === null ? ref.alias : ""],
  );
  return rows[0];
}
