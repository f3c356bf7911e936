/**
 * The database part of `stepwise server --check` on PostgreSQL, read-only (it may run beside
 * serving servers): every run's history (pg-check-history.ts), its series chunks and rollup blocks
 * (pg-check-series.ts), and the run file records, which the full check (store-check.ts) then
 * verifies against the file store. Each run is read in one REPEATABLE READ snapshot, so rows a
 * server writes meanwhile cannot look inconsistent with their run.
 *
 * History blocks carry sums (pg-history-blocks.ts); series rows carry none (SQLite's do,
 * sqlite/checksum.ts): a value changed in place keeping its length is not seen there. Page-level damage is PostgreSQL's to
 * detect (`initdb --data-checksums`, then `pg_amcheck`); see docs/reliability.md.
 */
import type pg from "pg";
import { NotFoundError } from "@stepwise/protocol";
import {
  databaseProblem,
  emptyCheckResult,
  errorMessage,
  type DamagedItem,
  type DatabaseCheckResult,
} from "../database-check.js";
import { runPath } from "../sqlite/store-corruption.js";
import { openPool, safeUrl, transaction } from "./pg-database.js";
import { PG_SCHEMA_VERSION } from "./pg-schema.js";
import { checkRunSeries } from "./pg-check-series.js";
import { checkHistory, checkHistoryRows, HISTORY_BLOCKS_VERSION, type RunRow } from "./pg-check-history.js";

/** Checks the Stepwise database at `url` (postgres://…) and reports what is damaged. */
export async function checkPostgresStore(url: string): Promise<DatabaseCheckResult> {
  const result = emptyCheckResult();
  const pool = openPool(url, 1);
  // An idle connection that dies must not crash the check; the next query reports it.
  pool.on("error", () => undefined);
  try {
    result.schemaVersion = await schemaVersion(pool, url);
    if (result.schemaVersion > PG_SCHEMA_VERSION) {
      result.notes.push(
        `schema version ${result.schemaVersion} is newer than this Stepwise (${PG_SCHEMA_VERSION}): upgrade Stepwise to check it`,
      );
      return result;
    }
    const runs = (
      await pool.query<RunRow>("SELECT pk, entity, project, run_id, history_count FROM runs ORDER BY pk")
    ).rows;
    for (const run of runs) await checkRun(pool, run, result, result.schemaVersion);
    await collectFiles(pool, result);
  } finally {
    await pool.end();
  }
  return result;
}

async function schemaVersion(pool: pg.Pool, url: string): Promise<number> {
  const { rows } = await pool.query<{ v: number | null }>(
    "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN NULL ELSE (SELECT MAX(version) FROM schema_migrations) END AS v",
  );
  const version = rows[0]?.v ?? null;
  if (version === null)
    throw new NotFoundError(`no Stepwise database at ${safeUrl(url)}; check the --database URL`);
  return version;
}

async function checkRun(
  pool: pg.Pool,
  run: RunRow,
  result: DatabaseCheckResult,
  version: number,
): Promise<void> {
  result.runs++;
  const name = runPath({ entity: run.entity, project: run.project, runId: run.run_id });
  const report = (item: DamagedItem["item"], where: string, problem: string): void => {
    result.damaged.push({ run: name, item, where, problem });
  };
  try {
    await transaction(
      pool,
      async (client) => {
        if (version < HISTORY_BLOCKS_VERSION) await checkHistoryRows(client, run, result, report);
        else await checkHistory(client, run, result, report);
        await checkRunSeries(client, run.pk, result, report);
      },
      "REPEATABLE READ READ ONLY",
    );
  } catch (error) {
    report("history row", "the run", `PostgreSQL cannot read it: ${errorMessage(error)}`);
  }
}

async function collectFiles(pool: pg.Pool, result: DatabaseCheckResult): Promise<void> {
  try {
    const { rows } = await pool.query<{
      entity: string;
      project: string;
      runId: string;
      path: string;
      size: number;
      sha256: string;
    }>(
      `SELECT entity, project, run_id AS "runId", path, size, sha256 FROM run_files
       ORDER BY entity, project, run_id, path`,
    );
    for (const row of rows) result.files.push(row);
  } catch (error) {
    result.damaged.push(
      databaseProblem(`the file records cannot be read: ${errorMessage(error)}`, "run_files"),
    );
  }
}
