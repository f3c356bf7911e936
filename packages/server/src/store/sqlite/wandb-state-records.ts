/** The W&B endpoints' state between requests in SQLite (schema 17; store/wandb-state-store.ts). */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import type { VersionRef } from "../artifact-store.js";
import type { WandbPendingArtifact, WandbStateStore, WandbUploadedFile } from "../wandb-state-store.js";
import { pendingOfRow, specText, type PendingRow } from "../wandb-state-rows.js";
import { settle } from "./settle.js";
import { asStoreError } from "./sqlite-storage-errors.js";

const RUN = "entity = ? AND project = ? AND run_id = ?";
const key = (ref: RunRef): [string, string, string] => [ref.entity, ref.project, ref.runId];

export class SqliteWandbState implements WandbStateStore {
  constructor(private readonly db: Database.Database) {}

  createPending(artifact: WandbPendingArtifact, dropBefore: number): Promise<void> {
    return this.work(() =>
      this.db
        .transaction(() => {
          const old = "SELECT id FROM wandb_pending_artifacts WHERE created_at < ?";
          this.db.prepare(`DELETE FROM wandb_pending_files WHERE pending_id IN (${old})`).run(dropBefore);
          this.db.prepare("DELETE FROM wandb_pending_artifacts WHERE created_at < ?").run(dropBefore);
          this.db
            .prepare("INSERT INTO wandb_pending_artifacts (id, spec, created_at) VALUES (?, ?, ?)")
            .run(artifact.id, specText(artifact), artifact.createdAt);
        })
        .immediate(),
    );
  }

  getPending(id: string): Promise<WandbPendingArtifact | null> {
    return this.work(() => {
      const row = this.db
        .prepare<[string], PendingRow>(
          "SELECT id, spec, created_at, manifest, committed FROM wandb_pending_artifacts WHERE id = ?",
        )
        .get(id);
      return row === undefined ? null : pendingOfRow(row);
    });
  }

  putPendingFile(id: string, path: string, file: WandbUploadedFile): Promise<boolean> {
    return this.work(
      () =>
        this.db
          .prepare(
            `INSERT INTO wandb_pending_files (pending_id, path, sha256, size, md5)
             SELECT id, ?, ?, ?, ? FROM wandb_pending_artifacts WHERE id = ?
             ON CONFLICT (pending_id, path) DO UPDATE
             SET sha256 = excluded.sha256, size = excluded.size, md5 = excluded.md5`,
          )
          .run(path, file.sha256, file.size, file.md5, id).changes > 0,
    );
  }

  pendingFiles(id: string): Promise<Map<string, WandbUploadedFile>> {
    return this.work(() => {
      const rows = this.db
        .prepare<[string], WandbUploadedFile & { path: string }>(
          "SELECT path, sha256, size, md5 FROM wandb_pending_files WHERE pending_id = ?",
        )
        .all(id);
      return new Map(rows.map(({ path, ...file }) => [path, file]));
    });
  }

  setPendingManifest(id: string, manifest: string): Promise<boolean> {
    return this.work(
      () =>
        this.db.prepare("UPDATE wandb_pending_artifacts SET manifest = ? WHERE id = ?").run(manifest, id)
          .changes > 0,
    );
  }

  setPendingCommitted(id: string, committed: VersionRef): Promise<void> {
    return this.work(() => {
      this.db
        .prepare("UPDATE wandb_pending_artifacts SET committed = ? WHERE id = ?")
        .run(JSON.stringify(committed), id);
    });
  }

  rememberMd5(sha256: string, md5: string): Promise<void> {
    return this.work(() => {
      this.db
        .prepare("INSERT INTO wandb_blob_md5 (sha256, md5) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")
        .run(sha256, md5);
    });
  }

  md5sOf(sha256s: readonly string[]): Promise<Map<string, string>> {
    return this.work(() => {
      const one = this.db.prepare<[string], { md5: string }>(
        "SELECT md5 FROM wandb_blob_md5 WHERE sha256 = ?",
      );
      const found = new Map<string, string>();
      for (const sha256 of new Set(sha256s)) {
        const row = one.get(sha256);
        if (row !== undefined) found.set(sha256, row.md5);
      }
      return found;
    });
  }

  blobByMd5(md5: string): Promise<string | null> {
    return this.work(() => {
      const row = this.db
        .prepare<[string], { sha256: string }>("SELECT sha256 FROM wandb_blob_md5 WHERE md5 = ? LIMIT 1")
        .get(md5);
      return row?.sha256 ?? null;
    });
  }

  consoleResuming(ref: RunRef, lines: number, now: number, dropBefore: number): Promise<void> {
    return this.work(() =>
      this.db
        .transaction(() => {
          this.db.prepare("DELETE FROM wandb_console_resume WHERE updated_at < ?").run(dropBefore);
          if (lines === 0) this.db.prepare(`DELETE FROM wandb_console_resume WHERE ${RUN}`).run(...key(ref));
          else
            this.db
              .prepare(
                `INSERT INTO wandb_console_resume (entity, project, run_id, base, shift, updated_at)
               VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (entity, project, run_id) DO UPDATE
               SET base = excluded.base, shift = NULL, updated_at = excluded.updated_at`,
              )
              .run(...key(ref), lines, now);
        })
        .immediate(),
    );
  }

  consoleOffset(ref: RunRef, offset: number): Promise<number> {
    return this.work(() => {
      // Nearly every console request is of a run not being resumed: a read, no write lock.
      const resuming = this.db.prepare(`SELECT 1 FROM wandb_console_resume WHERE ${RUN}`).get(...key(ref));
      if (resuming === undefined) return offset;
      const decide = this.db.transaction(() => {
        const row = this.db
          .prepare<[number, string, string, string], { base: number; shift: number }>(
            `UPDATE wandb_console_resume SET shift = COALESCE(shift, ? < base) WHERE ${RUN}
             RETURNING base, shift`,
          )
          .get(offset, ...key(ref));
        if (row === undefined) return offset;
        if (row.shift === 1) return offset + row.base;
        this.db.prepare(`DELETE FROM wandb_console_resume WHERE ${RUN}`).run(...key(ref));
        return offset;
      });
      return decide.immediate();
    });
  }

  consoleEnded(ref: RunRef): Promise<void> {
    return this.work(() => {
      this.db.prepare(`DELETE FROM wandb_console_resume WHERE ${RUN}`).run(...key(ref));
    });
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
