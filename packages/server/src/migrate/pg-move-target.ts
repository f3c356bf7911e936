/**
 * The MoveTarget on PostgreSQL: the target's PostgreSQL store (opened, so its schema is
 * migrated), plus a small pool of its own for the copy's progress (`move_runs`,
 * pg-schema-move.ts) and the writes that keep the source's values.
 */
import { NotFoundError } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import { openPostgresStore } from "../store/postgres/open-postgres-store.js";
import { openPool, safeUrl, transaction } from "../store/postgres/pg-database.js";
import { findRun, saveRun } from "../store/postgres/pg-run-table.js";
import { runKey, type MoveTarget } from "./move-target.js";
import { insertTable, tablesEmpty } from "./pg-table-copy.js";

export async function openPgMoveTarget(
  url: string,
  blobs: BlobStore | null,
  files: string,
): Promise<MoveTarget> {
  const store = await openPostgresStore(url);
  const pool = openPool(url, 2);
  pool.on("error", () => undefined);
  return {
    store,
    blobs,
    where: { database: safeUrl(url), files },
    movedRuns: async (source) => {
      const { rows } = await pool.query<{
        entity: string;
        project: string;
        run_id: string;
        fingerprint: string;
      }>("SELECT entity, project, run_id, fingerprint FROM move_runs WHERE source = $1", [source]);
      return new Map(
        rows.map((r) => [runKey({ entity: r.entity, project: r.project, runId: r.run_id }), r.fingerprint]),
      );
    },
    finishRun: (source, run, fingerprint, now) =>
      transaction(pool, async (client) => {
        const ref = { entity: run.entity, project: run.project, runId: run.id };
        const found = await findRun(client, ref, true);
        if (found === null)
          throw new NotFoundError(`run ${run.entity}/${run.project}/${run.id} vanished from the target`);
        await saveRun(client, found.pk, { ...run, ordinal: found.run.ordinal });
        await client.query(
          `INSERT INTO move_runs (source, entity, project, run_id, fingerprint, moved_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (source, entity, project, run_id)
           DO UPDATE SET fingerprint = excluded.fingerprint, moved_at = excluded.moved_at`,
          [source, run.entity, run.project, run.id, fingerprint, now],
        );
        return found.run.ordinal;
      }),
    movedPart: async (source, part) => {
      const { rows } = await pool.query<{ fingerprint: string }>(
        "SELECT fingerprint FROM move_parts WHERE source = $1 AND part = $2",
        [source, part],
      );
      return rows[0]?.fingerprint ?? null;
    },
    countRows: async (tables) => {
      const counts: Record<string, number> = {};
      for (const table of tables)
        counts[table] = Number(
          (await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]?.n,
        );
      return counts;
    },
    copyTables: (source, part, fingerprint, tables, rows, now) =>
      transaction(pool, async (client) => {
        if (!(await tablesEmpty(client, tables))) return false;
        for (const table of tables) await insertTable(client, table, rows(table));
        await client.query(
          `INSERT INTO move_parts (source, part, fingerprint, moved_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (source, part) DO UPDATE SET fingerprint = excluded.fingerprint, moved_at = excluded.moved_at`,
          [source, part, fingerprint, now],
        );
        return true;
      }),
    putPreset: async (preset) => {
      // The body as the PostgreSQL store keeps it (pg-structured-store.ts: JSON text).
      const result = await pool.query(
        `INSERT INTO chart_presets (id, body, created_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING`,
        [preset.id, JSON.stringify(preset.body), preset.createdAt, preset.updatedAt],
      );
      return (result.rowCount ?? 0) > 0;
    },
    close: async () => {
      await pool.end();
      await blobs?.close();
      await store.close();
    },
  };
}
