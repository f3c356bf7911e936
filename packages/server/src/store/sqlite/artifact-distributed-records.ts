/**
 * Distributed artifacts in SQLite (distributed-artifact-store.ts; tables in artifact-schema.ts,
 * version 13). Each upsert and each finish is one immediate transaction, so two finishes are
 * serialised: the first writes the version (writeVersion, as a whole commit does) and records
 * it on the pending row, the second finds it there and answers it. A conflicting upsert writes
 * only the conflict (outside the refused entries), so it outlives the refusal.
 */
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import {
  manifestDigestText,
  NotFoundError,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";
import { userAliases } from "../../domain/artifact-aliases.js";
import {
  describeContent,
  finishedConflictError,
  pathConflictError,
  sameContent,
  type PathConflict,
} from "../../domain/distributed-artifact.js";
import {
  LIVE_COLLECTION,
  toEntry,
  VERSION_COLUMNS,
  VERSION_FROM,
  type EntryRow,
  type VersionRow,
} from "./artifact-dto.js";
import { checkType, toDto, writeVersion } from "./artifact-version-rows.js";
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
      if (pending !== undefined) checkType(pending.type, input.type, artifact);
      const held = this.db.prepare<[number, string], EntryRow>(
        "SELECT path, sha256, size, ref, ref_digest FROM artifact_pending_entries WHERE pending_pk = ? AND path = ?",
      );
      const fresh: ManifestEntry[] = [];
      for (const entry of input.entries) {
        const row = held.get(pk, entry.path);
        if (row === undefined) fresh.push(entry);
        else if (!sameContent(toEntry(row), entry)) {
          const conflict = {
            path: entry.path,
            held: describeContent(toEntry(row)),
            offered: describeContent(entry),
          };
          this.db
            .prepare("UPDATE artifact_pending SET conflict = ?, updated_at = ? WHERE pk = ?")
            .run(JSON.stringify(conflict), input.now, pk);
          return conflict;
        }
      }
      const insert = this.db.prepare(
        "INSERT INTO artifact_pending_entries (pending_pk, path, sha256, size, ref, ref_digest) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const entry of fresh) {
        if ("ref" in entry) insert.run(pk, entry.path, null, entry.size, entry.ref, entry.digest);
        else insert.run(pk, entry.path, entry.sha256, entry.size, null, null);
      }
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
      checkType(pending.type, input.type, artifact);
      if (pending.conflict !== null)
        throw pathConflictError(artifact, input.distributedId, JSON.parse(pending.conflict) as PathConflict);
      const entries = this.db
        .prepare<[number], EntryRow>(
          "SELECT path, sha256, size, ref, ref_digest FROM artifact_pending_entries WHERE pending_pk = ? ORDER BY path",
        )
        .all(pending.pk)
        .map(toEntry);
      const aliases = JSON.parse(union(pending.aliases, asked)) as string[];
      const result = writeVersion(
        this.db,
        {
          entity: input.entity,
          project: input.project,
          name: input.name,
          type: input.type,
          entries,
          digest: createHash("sha256").update(manifestDigestText(entries)).digest("hex"),
          description: input.description,
          metadata: input.metadata,
          aliases,
          tags: JSON.parse(union(pending.tags, input.tags)) as string[],
          ttlS: input.ttlS,
          producer: input.producer,
          now: input.now,
          whileLocked: () => input.whileLocked?.(entries),
        },
        aliases,
      );
      const versionPk = this.db
        .prepare<[string, string, string, string], { pk: number }>(
          `SELECT v.pk FROM ${VERSION_FROM} WHERE c.entity = ? AND c.project = ? AND c.name = ?
             AND 'v' || v.idx = ?`,
        )
        .get(input.entity, input.project, input.name, result.version.version)?.pk;
      if (versionPk === undefined)
        throw new Error(`artifact version ${artifact}:${result.version.version} vanished`);
      // The version holds the entries now (and keeps their blobs); the row remembers which it is.
      this.db.prepare("DELETE FROM artifact_pending_entries WHERE pending_pk = ?").run(pending.pk);
      this.db
        .prepare("UPDATE artifact_pending SET version_pk = ?, updated_at = ? WHERE pk = ?")
        .run(versionPk, input.now, pending.pk);
      return result;
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
    if (collection !== undefined) checkType(collection.type, input.type, artifact);
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
    const held = this.db.prepare<[number, string], EntryRow>(
      "SELECT path, sha256, size, ref, ref_digest FROM artifact_entries WHERE version_pk = ? AND path = ?",
    );
    for (const entry of input.entries) {
      const row = held.get(versionPk, entry.path);
      if (row === undefined || !sameContent(toEntry(row), entry))
        throw finishedConflictError(artifact, input.distributedId, version.version, entry.path);
    }
    return { status: "committed", fileCount: version.fileCount, version };
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
  const values = held === undefined ? [] : (JSON.parse(held) as string[]);
  for (const value of added) if (!values.includes(value)) values.push(value);
  return JSON.stringify(values);
}
