/**
 * Distributed artifacts in SQLite (distributed-artifact-store.ts; tables in artifact-schema.ts,
 * versions 13 and 16). Each upsert and each finish is one immediate transaction, so two finishes are
 * serialised: the first writes the version (writeVersion, as a whole commit does) and records
 * it on the pending row, the second finds it there and answers it. A conflicting upsert writes
 * only the conflict (outside the refused entries), so it outlives the refusal. What is decided
 * (conflicts, the finished version's entries, the commit) is shared with PostgreSQL
 * (store/distributed-artifact-plan.ts).
 */
import type Database from "better-sqlite3";
import { NotFoundError, type ArtifactVersionDto, type ManifestEntry } from "@stepwise/protocol";
import { userAliases } from "../../domain/artifact-aliases.js";
import { checkArtifactType, mergeValues } from "../../domain/artifact-commit.js";
import { pathConflictError, type PathConflict } from "../../domain/distributed-artifact.js";
import { entryColumns } from "../artifact-rows.js";
import { checkFinishedHolds, finishCommit, planUpsert } from "../distributed-artifact-plan.js";
import {
  LIVE_COLLECTION,
  toEntry,
  VERSION_COLUMNS,
  VERSION_FROM,
  type EntryRow,
  type VersionRow,
} from "./artifact-dto.js";
import { toDto, writeVersion } from "./artifact-version-rows.js";
import type { CommitVersionResult } from "../artifact-store.js";
import type {
  DistributedArtifactStore,
  FinishPendingInput,
  PendingKey,
  UpsertPendingInput,
  UpsertPendingResult,
} from "../distributed-artifact-store.js";

interface PendingRow {
  pk: number;
  type: string;
  aliases: string;
  tags: string;
  conflict: string | null;
  version_pk: number | null;
}

type Work = <T>(work: () => T) => Promise<T>;

export class SqliteDistributedArtifacts implements DistributedArtifactStore {
  constructor(
    private readonly db: Database.Database,
    private readonly work: Work,
  ) {}

  upsertPending(input: UpsertPendingInput): Promise<UpsertPendingResult> {
    const artifact = `${input.entity}/${input.project}/${input.name}`;
    const upsert = this.db.transaction((aliases: string[]): UpsertPendingResult | PathConflict => {
      input.whileLocked?.();
      const pending = this.pendingRow(input);
      if (pending?.version_pk != null) return this.afterFinish(input, pending.version_pk, artifact);
      if (pending?.conflict != null) return JSON.parse(pending.conflict) as PathConflict;
      const pk = pending?.pk ?? this.createPending(input, artifact);
      if (pending !== undefined) checkArtifactType(pending.type, input.type, artifact);
      const plan = planUpsert(
        this.heldEntries("artifact_pending_entries", "pending_pk", pk, input.entries),
        input.entries,
      );
      if (plan.kind === "conflict") {
        this.db
          .prepare("UPDATE artifact_pending SET conflict = ?, updated_at = ? WHERE pk = ?")
          .run(JSON.stringify(plan.conflict), input.now, pk);
        return plan.conflict;
      }
      const insert = this.db.prepare(
        "INSERT INTO artifact_pending_entries (pending_pk, path, sha256, size, ref, ref_digest) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const entry of plan.fresh) {
        const c = entryColumns(entry);
        insert.run(pk, entry.path, c.sha256, c.size, c.ref, c.ref_digest);
      }
      if (input.writer !== null)
        this.db
          .prepare(
            "INSERT OR IGNORE INTO artifact_pending_writers (pending_pk, entity, project, run_id) VALUES (?, ?, ?, ?)",
          )
          .run(pk, input.writer.entity, input.writer.project, input.writer.runId);
      const row = this.pendingRow(input);
      this.db
        .prepare("UPDATE artifact_pending SET aliases = ?, tags = ?, updated_at = ? WHERE pk = ?")
        .run(union(row?.aliases, aliases), union(row?.tags, input.tags), input.now, pk);
      const count = this.db
        .prepare<[number], { n: number }>(
          "SELECT COUNT(*) AS n FROM artifact_pending_entries WHERE pending_pk = ?",
        )
        .get(pk);
      return { status: "pending", fileCount: count?.n ?? 0, version: null };
    });
    return this.work(() => {
      const result = upsert.immediate(userAliases(input.aliases, artifact));
      if ("path" in result) throw pathConflictError(artifact, input.distributedId, result);
      return result;
    });
  }

  finishPending(input: FinishPendingInput): Promise<CommitVersionResult> {
    const artifact = `${input.entity}/${input.project}/${input.name}`;
    const finish = this.db.transaction((asked: string[]): CommitVersionResult => {
      const pending = this.pendingRow(input);
      if (pending === undefined)
        throw new NotFoundError(
          `no distributed artifact '${artifact}' with distributedId '${input.distributedId}': nothing was upserted under it; ` +
            "upsertArtifact adds the entries, then finishArtifact commits them",
        );
      if (pending.version_pk !== null)
        return { status: "unchanged", version: this.versionByPk(pending.version_pk) };
      checkArtifactType(pending.type, input.type, artifact);
      if (pending.conflict !== null)
        throw pathConflictError(artifact, input.distributedId, JSON.parse(pending.conflict) as PathConflict);
      const entries = this.db
        .prepare<[number], EntryRow>(
          "SELECT path, sha256, size, ref, ref_digest FROM artifact_pending_entries WHERE pending_pk = ? ORDER BY path",
        )
        .all(pending.pk)
        .map(toEntry);
      const commit = finishCommit(
        input,
        { aliases: JSON.parse(pending.aliases) as string[], tags: JSON.parse(pending.tags) as string[] },
        asked,
        entries,
      );
      const result = writeVersion(this.db, commit, [...commit.aliases]);
      const versionPk = this.db
        .prepare<[string, string, string, string], { pk: number }>(
          `SELECT v.pk FROM ${VERSION_FROM} WHERE c.entity = ? AND c.project = ? AND c.name = ?
             AND 'v' || v.idx = ?`,
        )
        .get(input.entity, input.project, input.name, result.version.version)?.pk;
      if (versionPk === undefined)
        throw new Error(`artifact version ${artifact}:${result.version.version} vanished`);
      // A version the finish created has the writers as producers; the latest answered unchanged
      // keeps its own, as a re-logged unchanged version does.
      if (result.status === "created")
        this.db
          .prepare(
            `INSERT OR IGNORE INTO artifact_version_writers (version_pk, entity, project, run_id, seq)
             SELECT ?, entity, project, run_id, seq FROM artifact_pending_writers WHERE pending_pk = ?`,
          )
          .run(versionPk, pending.pk);
      // The version holds the entries now (and keeps their blobs); the row remembers which it is.
      this.db.prepare("DELETE FROM artifact_pending_entries WHERE pending_pk = ?").run(pending.pk);
      this.db.prepare("DELETE FROM artifact_pending_writers WHERE pending_pk = ?").run(pending.pk);
      this.db
        .prepare("UPDATE artifact_pending SET version_pk = ?, updated_at = ? WHERE pk = ?")
        .run(versionPk, input.now, pending.pk);
      // Read again: the DTO writeVersion answered was read before the writers were written.
      return result.status === "created"
        ? { status: "created", version: this.versionByPk(versionPk) }
        : result;
    });
    return this.work(() => finish.immediate(userAliases(input.aliases, artifact)));
  }

  discardPending(key: PendingKey): Promise<{ state: "pending" | "finished"; fileCount: number }> {
    const discard = this.db.transaction(() => {
      const pending = this.pendingRow(key);
      if (pending === undefined)
        throw new NotFoundError(
          `no distributed artifact '${key.entity}/${key.project}/${key.name}' with distributedId '${key.distributedId}'`,
        );
      const { changes } = this.db
        .prepare("DELETE FROM artifact_pending_entries WHERE pending_pk = ?")
        .run(pending.pk);
      this.db.prepare("DELETE FROM artifact_pending_writers WHERE pending_pk = ?").run(pending.pk);
      this.db.prepare("DELETE FROM artifact_pending WHERE pk = ?").run(pending.pk);
      return pending.version_pk === null
        ? { state: "pending" as const, fileCount: changes }
        : { state: "finished" as const, fileCount: this.versionByPk(pending.version_pk).fileCount };
    });
    return this.work(() => discard.immediate());
  }

  private pendingRow(key: PendingKey): PendingRow | undefined {
    return this.db
      .prepare<[string, string, string, string], PendingRow>(
        `SELECT pk, type, aliases, tags, conflict, version_pk FROM artifact_pending
         WHERE entity = ? AND project = ? AND name = ? AND distributed_id = ?`,
      )
      .get(key.entity, key.project, key.name, key.distributedId);
  }

  private createPending(input: UpsertPendingInput, artifact: string): number {
    // A live collection of another type refuses at the first upsert, not only at finish.
    const collection = this.db
      .prepare<[string, string, string], { type: string }>(
        `SELECT c.type FROM artifact_collections c WHERE c.entity = ? AND c.project = ? AND c.name = ? AND ${LIVE_COLLECTION}`,
      )
      .get(input.entity, input.project, input.name);
    if (collection !== undefined) checkArtifactType(collection.type, input.type, artifact);
    return Number(
      this.db
        .prepare(
          `INSERT INTO artifact_pending (entity, project, name, distributed_id, type, aliases, tags, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, '[]', '[]', ?, ?)`,
        )
        .run(input.entity, input.project, input.name, input.distributedId, input.type, input.now, input.now)
        .lastInsertRowid,
    );
  }

  /** An upsert after the finish: answered with the version when it holds every entry as sent. */
  private afterFinish(input: UpsertPendingInput, versionPk: number, artifact: string): UpsertPendingResult {
    const version = this.versionByPk(versionPk);
    checkFinishedHolds(
      this.heldEntries("artifact_entries", "version_pk", versionPk, input.entries),
      input.entries,
      {
        artifact,
        distributedId: input.distributedId,
        version: version.version,
      },
    );
    return { status: "committed", fileCount: version.fileCount, version };
  }

  /** The entries `table` holds under `key` at the paths of `entries`, by path. */
  private heldEntries(
    table: "artifact_entries" | "artifact_pending_entries",
    keyColumn: "version_pk" | "pending_pk",
    key: number,
    entries: readonly ManifestEntry[],
  ): Map<string, ManifestEntry> {
    const read = this.db.prepare<[number, string], EntryRow>(
      `SELECT path, sha256, size, ref, ref_digest FROM ${table} WHERE ${keyColumn} = ? AND path = ?`,
    );
    const held = new Map<string, ManifestEntry>();
    for (const entry of entries) {
      const row = read.get(key, entry.path);
      if (row !== undefined) held.set(entry.path, toEntry(row));
    }
    return held;
  }

  /** A version by key, deleted or not (a finished pending version answers the version it became). */
  private versionByPk(pk: number): ArtifactVersionDto {
    const row = this.db
      .prepare<[number], VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.pk = ?`)
      .get(pk);
    if (row === undefined) throw new Error(`artifact version ${pk} vanished`);
    return toDto(this.db, row);
  }
}

/** The JSON array of `held` (JSON text) with `added` after it, each value once. */
function union(held: string | undefined, added: readonly string[]): string {
  return JSON.stringify(mergeValues(held === undefined ? [] : (JSON.parse(held) as string[]), added));
}
