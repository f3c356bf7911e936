/**
 * Reads and writes of whole `runs` rows on PostgreSQL. The row ↔ StoredRun mapping is the one
 * the SQLite store uses (store/sqlite/run-row.ts: same columns, extended JSON for config and
 * summary so that NaN and ±Infinity stay exact).
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store.js";
import { RUN_COLUMNS, runFromRow, runParams, type RunRow } from "../sqlite/run-row.js";
import { literal } from "./pg-database.js";
import { jsonbCopy } from "./pg-run-filter.js";

const COLUMNS = [...RUN_COLUMNS.split(", ").filter((c) => c !== "pk"), "config_json", "summary_json"];
const INSERT = `INSERT INTO runs (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING pk`;
const UPDATE = `UPDATE runs SET ${COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE pk = $${COLUMNS.length + 1}`;

type Queryable = pg.Pool | pg.PoolClient;

export { RUN_COLUMNS, runFromRow, type RunRow };

export async function findRun(
  db: Queryable,
  ref: RunRef,
  lock = false,
): Promise<{ pk: number; run: StoredRun } | null> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE entity = $1 AND project = $2 AND run_id = $3${lock ? " FOR UPDATE" : ""}`,
    [ref.entity, ref.project, ref.runId],
  );
  const row = rows[0];
  return row ? { pk: row.pk, run: runFromRow(row) } : null;
}

export async function runPk(
  db: Queryable,
  ref: RunRef,
): Promise<{ pk: number; history_count: number } | null> {
  const { rows } = await db.query<{ pk: number; history_count: number }>(
    "SELECT pk, history_count FROM runs WHERE entity = $1 AND project = $2 AND run_id = $3",
    [ref.entity, ref.project, ref.runId],
  );
  return rows[0] ?? null;
}

/** The row's columns: the SQLite store's mapping, plus the jsonb copies filters read. */
function params(run: StoredRun): Record<string, string | number | null> {
  return { ...runParams(run), config_json: jsonbCopy(run.config), summary_json: jsonbCopy(run.summary) };
}

export async function insertRun(db: Queryable, run: StoredRun): Promise<number> {
  const values = params(run);
  const { rows } = await db.query<{ pk: number }>(
    INSERT,
    COLUMNS.map((c) => values[c] ?? null),
  );
  return (rows[0] as { pk: number }).pk;
}

/** `saveRun` as one statement without parameters (to go with COMMIT: pg-database.ts `last`). */
export function saveRunSql(client: pg.PoolClient, pk: number, run: StoredRun): string {
  const values = params(run);
  return `UPDATE runs SET ${COLUMNS.map((c) => `${c} = ${literal(client, values[c] ?? null)}`).join(", ")} WHERE pk = ${pk}`;
}

/** `insertRun` as one statement without parameters, for a batch that writes nothing else. */
export function insertRunSql(client: pg.PoolClient, run: StoredRun): string {
  const values = params(run);
  return `INSERT INTO runs (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((c) => literal(client, values[c] ?? null)).join(", ")})`;
}

export async function saveRun(db: Queryable, pk: number, run: StoredRun): Promise<void> {
  const values = params(run);
  await db.query(UPDATE, [...COLUMNS.map((c) => values[c] ?? null), pk]);
}
