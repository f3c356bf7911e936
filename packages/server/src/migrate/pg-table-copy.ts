/**
 * Whole tables into PostgreSQL for `stepwise migrate` (artifact-tables.ts): in the caller's
 * transaction, refuses a target table that holds rows, inserts the rows in multi-row statements
 * with their primary keys, and moves each serial column's sequence past the largest key so that
 * the next row the store inserts gets a fresh one.
 */
import type pg from "pg";
import type { TableCopy } from "./artifact-tables.js";

/** Rows per INSERT: 500 rows × at most 15 columns stays far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 500;

/** Whether every one of `tables` is empty. */
export async function tablesEmpty(client: pg.PoolClient, tables: readonly TableCopy[]): Promise<boolean> {
  for (const { table } of tables) {
    const { rows } = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) return false;
  }
  return true;
}

export async function insertTable(
  client: pg.PoolClient,
  spec: TableCopy,
  rows: Iterable<unknown[]>,
): Promise<number> {
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const width = spec.columns.length;
    const values = batch.map((_, r) => `(${spec.columns.map((_, c) => `$${r * width + c + 1}`).join(", ")})`);
    await client.query(
      `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ${values.join(", ")}`,
      batch.flat(),
    );
    count += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === ROWS_PER_INSERT) await flush();
  }
  await flush();
  if (spec.serial !== undefined)
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${spec.table}', '${spec.serial}'),
         (SELECT COALESCE(MAX(${spec.serial}), 0) + 1 FROM ${spec.table}), false)`,
    );
  return count;
}
