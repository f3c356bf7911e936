/**
 * The database part of `stepwise server --check` on PostgreSQL, read-only (it may run beside
 * serving servers): every run's history rows (each must be there, 0 … history_count − 1, and
 * parse as the extended JSON object a row is), its series chunks and rollup blocks
 * (pg-check-series.ts), and the run file records, which the full check (store-check.ts) then
 * verifies against the file store. Each run is read in one REPEATABLE READ snapshot, so rows a
 * server writes meanwhile cannot look inconsistent with their run.
 *
 * PostgreSQL's rows carry no checksums of their own (SQLite's do, sqlite/checksum.ts): a value
 * changed in place keeping its length is not seen here. Page-level damage is PostgreSQL's to
 * detect (`initdb --data-checksums`, then `pg_amcheck`); see docs/reliability.md.
 */
import type pg from "pg";
import { NotFoundError, parseExtended } from "@stepwise/protocol";
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

/** History rows read per query: a run of millions of rows is read in pages, not at once. */
const ROW_PAGE = 5000;

interface RunRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
  history_count: number;
}

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
    for (const run of runs) await checkRun(pool, run, result);
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

async function checkRun(pool: pg.Pool, run: RunRow, result: DatabaseCheckResult): Promise<void> {
  result.runs++;
  const name = runPath({ entity: run.entity, project: run.project, runId: run.run_id });
  const report = (item: DamagedItem["item"], where: string, problem: string): void => {
    result.damaged.push({ run: name, item, where, problem });
  };
  try {
    await transaction(
      pool,
      async (client) => {
        await checkHistory(client, run, result, report);
        await checkRunSeries(client, run.pk, result, report);
      },
      "REPEATABLE READ READ ONLY",
    );
  } catch (error) {
    report("history row", "the run", `PostgreSQL cannot read it: ${errorMessage(error)}`);
  }
}

type Report = (item: DamagedItem["item"], where: string, problem: string) => void;

/** Rows 0 … history_count − 1, each once, each an extended-JSON object. */
async function checkHistory(
  client: pg.PoolClient,
  run: RunRow,
  result: DatabaseCheckResult,
  report: Report,
): Promise<void> {
  let next = 0;
  for (;;) {
    const { rows } = await client.query<{ row_index: number; body: string }>(
      `SELECT row_index, body FROM history_rows WHERE run_pk = $1 AND row_index >= $2
       ORDER BY row_index LIMIT ${ROW_PAGE}`,
      [run.pk, next],
    );
    for (const row of rows) {
      result.historyRows++;
      if (row.row_index > next) report("history row", rowsPlace(next, row.row_index), "missing");
      if (row.row_index >= run.history_count)
        report(
          "history row",
          rowsPlace(row.row_index, row.row_index + 1),
          `beyond the run's ${run.history_count} rows`,
        );
      const problem = bodyProblem(row.body);
      if (problem !== null) report("history row", rowsPlace(row.row_index, row.row_index + 1), problem);
      next = row.row_index + 1;
    }
    if (rows.length < ROW_PAGE) break;
  }
  if (next < run.history_count) report("history row", rowsPlace(next, run.history_count), "missing");
}

function bodyProblem(body: string): string | null {
  let row: unknown;
  try {
    row = parseExtended(body);
  } catch (error) {
    return `does not parse as JSON: ${errorMessage(error)}`;
  }
  return typeof row === "object" && row !== null && !Array.isArray(row) ? null : "is not a JSON object";
}

/** History rows [from, to) as messages name them. */
function rowsPlace(from: number, to: number): string {
  return to - from === 1 ? `history row ${from}` : `history rows ${from}–${to - 1}`;
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
