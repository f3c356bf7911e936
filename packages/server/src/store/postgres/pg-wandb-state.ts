/**
 * The W&B endpoints' state between requests in PostgreSQL (schema 10; store/wandb-state-store.ts),
 * shared by every server of a fleet. The console decision is one UPDATE … RETURNING, so two
 * servers answering a resumed client's first two console requests at once agree on it.
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import type { VersionRef } from "../artifact-store.js";
import type { WandbPendingArtifact, WandbStateStore, WandbUploadedFile } from "../wandb-state-store.js";
import { pendingOfRow, specText, type PendingRow } from "../wandb-state-rows.js";
import { transaction } from "./pg-database.js";

const RUN = "entity = $1 AND project = $2 AND run_id = $3";

export class PgWandbState implements WandbStateStore {
  constructor(private readonly pool: pg.Pool) {}

  async createPending(artifact: WandbPendingArtifact, dropBefore: number): Promise<void> {
    // Files go with their artifact (ON DELETE CASCADE).
    await this.pool.query("DELETE FROM wandb_pending_artifacts WHERE created_at < $1", [dropBefore]);
    await this.pool.query("INSERT INTO wandb_pending_artifacts (id, spec, created_at) VALUES ($1, $2, $3)", [
      artifact.id,
      specText(artifact),
      artifact.createdAt,
    ]);
  }

  async getPending(id: string): Promise<WandbPendingArtifact | null> {
    const { rows } = await this.pool.query<PendingRow>(
      "SELECT id, spec, created_at, manifest, committed FROM wandb_pending_artifacts WHERE id = $1",
      [id],
    );
    return rows[0] === undefined ? null : pendingOfRow(rows[0]);
  }

  async putPendingFile(id: string, path: string, file: WandbUploadedFile): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO wandb_pending_files (pending_id, path, sha256, size, md5)
       SELECT id, $2, $3, $4, $5 FROM wandb_pending_artifacts WHERE id = $1
       ON CONFLICT (pending_id, path) DO UPDATE
       SET sha256 = excluded.sha256, size = excluded.size, md5 = excluded.md5`,
      [id, path, file.sha256, file.size, file.md5],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async pendingFiles(id: string): Promise<Map<string, WandbUploadedFile>> {
    const { rows } = await this.pool.query<{ path: string; sha256: string; size: string; md5: string }>(
      "SELECT path, sha256, size, md5 FROM wandb_pending_files WHERE pending_id = $1",
      [id],
    );
    return new Map(rows.map((r) => [r.path, { sha256: r.sha256, size: Number(r.size), md5: r.md5 }]));
  }

  async setPendingManifest(id: string, manifest: string): Promise<boolean> {
    const result = await this.pool.query("UPDATE wandb_pending_artifacts SET manifest = $1 WHERE id = $2", [
      manifest,
      id,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async setPendingCommitted(id: string, committed: VersionRef): Promise<void> {
    await this.pool.query("UPDATE wandb_pending_artifacts SET committed = $1 WHERE id = $2", [
      JSON.stringify(committed),
      id,
    ]);
  }

  async rememberMd5(sha256: string, md5: string): Promise<void> {
    await this.pool.query(
      "INSERT INTO wandb_blob_md5 (sha256, md5) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
      [sha256, md5],
    );
  }

  async md5sOf(sha256s: readonly string[]): Promise<Map<string, string>> {
    if (sha256s.length === 0) return new Map();
    const { rows } = await this.pool.query<{ sha256: string; md5: string }>(
      "SELECT sha256, md5 FROM wandb_blob_md5 WHERE sha256 = ANY($1::text[])",
      [[...new Set(sha256s)]],
    );
    return new Map(rows.map((r) => [r.sha256, r.md5]));
  }

  async blobByMd5(md5: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ sha256: string }>(
      "SELECT sha256 FROM wandb_blob_md5 WHERE md5 = $1 LIMIT 1",
      [md5],
    );
    return rows[0]?.sha256 ?? null;
  }

  async consoleResuming(ref: RunRef, lines: number, now: number, dropBefore: number): Promise<void> {
    const key = [ref.entity, ref.project, ref.runId];
    await transaction(this.pool, async (client) => {
      await client.query("DELETE FROM wandb_console_resume WHERE updated_at < $1", [dropBefore]);
      if (lines === 0) await client.query(`DELETE FROM wandb_console_resume WHERE ${RUN}`, key);
      else
        await client.query(
          `INSERT INTO wandb_console_resume (entity, project, run_id, base, shift, updated_at)
           VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (entity, project, run_id) DO UPDATE
           SET base = excluded.base, shift = NULL, updated_at = excluded.updated_at`,
          [...key, lines, now],
        );
    });
  }

  async consoleOffset(ref: RunRef, offset: number): Promise<number> {
    const key = [ref.entity, ref.project, ref.runId];
    const { rows } = await this.pool.query<{ base: string; shift: boolean }>(
      `UPDATE wandb_console_resume SET shift = COALESCE(shift, $4 < base)
       WHERE ${RUN} RETURNING base, shift`,
      [...key, offset],
    );
    const row = rows[0];
    if (row === undefined) return offset;
    if (row.shift) return offset + Number(row.base);
    await this.pool.query(`DELETE FROM wandb_console_resume WHERE ${RUN} AND shift = false`, key);
    return offset;
  }

  async consoleEnded(ref: RunRef): Promise<void> {
    await this.pool.query(`DELETE FROM wandb_console_resume WHERE ${RUN}`, [
      ref.entity,
      ref.project,
      ref.runId,
    ]);
  }
}
