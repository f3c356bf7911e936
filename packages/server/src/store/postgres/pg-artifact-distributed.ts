/**
 * Distributed artifacts on PostgreSQL (distributed-artifact-store.ts; tables in
 * pg-schema-artifacts.ts). Each upsert, finish and discard is one transaction holding the
 * advisory lock of its key (collection name and distributedId), so that on servers sharing the
 * database two writers' entries for one path are compared one after the other and racing
 * finishes commit once: the first writes the version (as a whole commit does, under the
 * collection's lock) and records it on the pending row, the others find it there. What is
 * decided (conflicts, the finished version's entries, the commit) is shared with SQLite
 * (store/distributed-artifact-plan.ts). A conflicting upsert writes only the conflict, which
 * commits, so it outlives the refusal.
 */
import type pg from "pg";
import { NotFoundError, type ManifestEntry } from "@stepwise/protocol";
import { userAliases } from "../../domain/artifact-aliases.js";
import { checkArtifactType, mergeValues } from "../../domain/artifact-commit.js";
import { pathConflictError, type PathConflict } from "../../domain/distributed-artifact.js";
import { toEntry, type EntryRow } from "../artifact-rows.js";
import type { CommitVersionResult } from "../artifact-store.js";
import type {
  DistributedArtifactStore,
  FinishPendingInput,
  PendingKey,
  UpsertPendingInput,
  UpsertPendingResult,
} from "../distributed-artifact-store.js";
import { checkFinishedHolds, finishCommit, planUpsert } from "../distributed-artifact-plan.js";
import {
  ENTRY_COLUMNS,
  holdBlobs,
  insertEntries,
  lockCollection,
  versionByPk,
  writeVersion,
} from "./pg-artifact-rows.js";
import { transaction } from "./pg-database.js";

interface PendingRow {
  pk: number;
  type: string;
  aliases: string;
  tags: string;
  conflict: string | null;
  version_pk: number | null;
}

export class PgDistributedArtifacts implements DistributedArtifactStore {
  constructor(private readonly pool: pg.Pool) {}

  async upsertPending(input: UpsertPendingInput): Promise<UpsertPendingResult> {
    const artifact = `${input.entity}/${input.project}/${input.name}`;
    const aliases = userAliases(input.aliases, artifact);
    const result = await transaction(
      this.pool,
      async (client): Promise<UpsertPendingResult | PathConflict> => {
        const pending = await lockedPending(client, input);
        await holdBlobs(client);
        input.whileLocked?.();
        if (pending?.version_pk != null) {
          const version = await versionByPk(client, pending.version_pk);
          const held = await heldEntries(
            client,
            "artifact_entries",
            "version_pk",
            pending.version_pk,
            input.entries,
          );
          checkFinishedHolds(held, input.entries, {
            artifact,
            distributedId: input.distributedId,
            version: version.version,
          });
          return { status: "committed", fileCount: version.fileCount, version };
        }
        if (pending?.conflict != null) return JSON.parse(pending.conflict) as PathConflict;
        if (pending !== undefined) checkArtifactType(pending.type, input.type, artifact);
        const pk = pending?.pk ?? (await createPending(client, input, artifact));
        const held = await heldEntries(client, "artifact_pending_entries", "pending_pk", pk, input.entries);
        const plan = planUpsert(held, input.entries);
        if (plan.kind === "conflict") {
          await client.query("UPDATE artifact_pending SET conflict = $1, updated_at = $2 WHERE pk = $3", [
            JSON.stringify(plan.conflict),
            input.now,
            pk,
          ]);
          return plan.conflict;
        }
        await insertEntries(client, "artifact_pending_entries", "pending_pk", pk, plan.fresh);
        if (input.writer !== null)
          await client.query(
            `INSERT INTO artifact_pending_writers (pending_pk, entity, project, run_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING`,
            [pk, input.writer.entity, input.writer.project, input.writer.runId],
          );
        const values = (text: string | undefined) =>
          text === undefined ? [] : (JSON.parse(text) as string[]);
        await client.query(
          "UPDATE artifact_pending SET aliases = $1, tags = $2, updated_at = $3 WHERE pk = $4",
          [
            JSON.stringify(mergeValues(values(pending?.aliases), aliases)),
            JSON.stringify(mergeValues(values(pending?.tags), input.tags)),
            input.now,
            pk,
          ],
        );
        const { rows } = await client.query<{ n: number }>(
          "SELECT COUNT(*) AS n FROM artifact_pending_entries WHERE pending_pk = $1",
          [pk],
        );
        return { status: "pending", fileCount: rows[0]?.n ?? 0, version: null };
      },
    );
    if ("path" in result) throw pathConflictError(artifact, input.distributedId, result);
    return result;
  }

  async finishPending(input: FinishPendingInput): Promise<CommitVersionResult> {
    const artifact = `${input.entity}/${input.project}/${input.name}`;
    const asked = userAliases(input.aliases, artifact);
    return transaction(this.pool, async (client) => {
      const pending = await lockedPending(client, input);
      if (pending === undefined)
        throw new NotFoundError(
          `no distributed artifact '${artifact}' with distributedId '${input.distributedId}': nothing was upserted under it; ` +
            "upsertArtifact adds the entries, then finishArtifact commits them",
        );
      if (pending.version_pk !== null)
        return { status: "unchanged", version: await versionByPk(client, pending.version_pk) };
      checkArtifactType(pending.type, input.type, artifact);
      if (pending.conflict !== null)
        throw pathConflictError(artifact, input.distributedId, JSON.parse(pending.conflict) as PathConflict);
      const { rows } = await client.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM artifact_pending_entries WHERE pending_pk = $1 ORDER BY path`,
        [pending.pk],
      );
      const commit = finishCommit(
        input,
        { aliases: JSON.parse(pending.aliases) as string[], tags: JSON.parse(pending.tags) as string[] },
        asked,
        rows.map(toEntry),
      );
      await lockCollection(client, input.entity, input.project, input.name);
      const { pk, ...result } = await writeVersion(client, commit, commit.aliases);
      // A version the finish created has the writers as producers; the latest answered unchanged
      // keeps its own, as a re-logged unchanged version does.
      if (result.status === "created") {
        await client.query(
          `INSERT INTO artifact_version_writers (version_pk, entity, project, run_id, seq)
           SELECT $1, entity, project, run_id, seq FROM artifact_pending_writers WHERE pending_pk = $2
           ON CONFLICT DO NOTHING`,
          [pk, pending.pk],
        );
      }
      // The version holds the entries now (and keeps their blobs); the row remembers which it is.
      await client.query("DELETE FROM artifact_pending_entries WHERE pending_pk = $1", [pending.pk]);
      await client.query("DELETE FROM artifact_pending_writers WHERE pending_pk = $1", [pending.pk]);
      await client.query("UPDATE artifact_pending SET version_pk = $1, updated_at = $2 WHERE pk = $3", [
        pk,
        input.now,
        pending.pk,
      ]);
      // Read again: the DTO writeVersion answered was read before the writers were written.
      return result.status === "created"
        ? { status: "created", version: await versionByPk(client, pk) }
        : result;
    });
  }

  discardPending(key: PendingKey): Promise<{ state: "pending" | "finished"; fileCount: number }> {
    return transaction(this.pool, async (client) => {
      const pending = await lockedPending(client, key);
      if (pending === undefined)
        throw new NotFoundError(
          `no distributed artifact '${key.entity}/${key.project}/${key.name}' with distributedId '${key.distributedId}'`,
        );
      const dropped = await client.query("DELETE FROM artifact_pending_entries WHERE pending_pk = $1", [
        pending.pk,
      ]);
      // Its writers go with it (ON DELETE CASCADE).
      await client.query("DELETE FROM artifact_pending WHERE pk = $1", [pending.pk]);
      return pending.version_pk === null
        ? { state: "pending" as const, fileCount: dropped.rowCount ?? 0 }
        : {
            state: "finished" as const,
            fileCount: (await versionByPk(client, pending.version_pk)).fileCount,
          };
    });
  }
}

/** Takes the key's lock (its row may not exist yet), then reads its pending row. */
async function lockedPending(client: pg.PoolClient, key: PendingKey): Promise<PendingRow | undefined> {
  const parts = [key.entity, key.project, key.name, key.distributedId];
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
    JSON.stringify(["artifact-pending", ...parts]),
  ]);
  const { rows } = await client.query<PendingRow>(
    `SELECT pk, type, aliases, tags, conflict, version_pk FROM artifact_pending
     WHERE entity = $1 AND project = $2 AND name = $3 AND distributed_id = $4`,
    parts,
  );
  return rows[0];
}

async function createPending(
  client: pg.PoolClient,
  input: UpsertPendingInput,
  artifact: string,
): Promise<number> {
  // A live collection of another type refuses at the first upsert, not only at finish.
  const { rows: collection } = await client.query<{ type: string }>(
    `SELECT type FROM artifact_collections WHERE entity = $1 AND project = $2 AND name = $3 AND deleted_at IS NULL`,
    [input.entity, input.project, input.name],
  );
  if (collection[0] !== undefined) checkArtifactType(collection[0].type, input.type, artifact);
  const { rows } = await client.query<{ pk: number }>(
    `INSERT INTO artifact_pending (entity, project, name, distributed_id, type, aliases, tags, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, '[]', '[]', $6, $6) RETURNING pk`,
    [input.entity, input.project, input.name, input.distributedId, input.type, input.now],
  );
  const pk = rows[0]?.pk;
  if (pk === undefined) throw new Error("pending artifact insert returned no key");
  return pk;
}

/** The entries `table` holds under `key` at the paths of `entries`, by path. */
async function heldEntries(
  client: pg.PoolClient,
  table: string,
  keyColumn: string,
  key: number,
  entries: readonly ManifestEntry[],
): Promise<Map<string, ManifestEntry>> {
  const { rows } = await client.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM ${table} WHERE ${keyColumn} = $1 AND path = ANY($2::text[])`,
    [key, entries.map((e) => e.path)],
  );
  return new Map(rows.map((row) => [row.path, toEntry(row)]));
}
