/**
 * The history part of the PostgreSQL `--check` (pg-check.ts): every block of each run is read
 * and checked as reads check it (pg-history-blocks.ts: its sum, the blocks following each other
 * from row 0 up to the run's row count, its row count of lines), and each row must parse as the
 * extended-JSON object a row is. A database not yet upgraded to blocks is checked row by row.
 */
import type pg from "pg";
import { parseExtended } from "@stepwise/protocol";
import { errorMessage, type DamagedItem, type DatabaseCheckResult } from "../database-check.js";
import { places } from "../sqlite/checksum.js";
import {
  BLOCK_COLUMNS,
  blockTexts,
  checkBlock,
  checkBlocksEnd,
  type PgHistoryBlockRow,
} from "./pg-history-blocks.js";

/** The schema version that keeps history in blocks (pg-schema-history.ts). */
export const HISTORY_BLOCKS_VERSION = 9;

/** History rows (or blocks of ≤ 1,000 rows) read per query: a run of millions is read in pages. */
const ROW_PAGE = 5000;
const BLOCK_PAGE = 5;

export interface RunRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
  history_count: number;
}

type Report = (item: DamagedItem["item"], where: string, problem: string) => void;

/** Blocks covering rows 0 … history_count − 1, each once, each sound; every row an extended-JSON object. */
export async function checkHistory(
  client: pg.PoolClient,
  run: RunRow,
  result: DatabaseCheckResult,
  report: Report,
): Promise<void> {
  let next = 0;
  for (let after = -1; ;) {
    const { rows } = await client.query<PgHistoryBlockRow>(
      `SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE run_pk = $1 AND first_row > $2
       ORDER BY first_row LIMIT ${BLOCK_PAGE}`,
      [run.pk, after],
    );
    for (const block of rows) {
      result.historyBlocks++;
      result.historyRows += block.row_count;
      const before = result.damaged.length;
      next = checkBlock(block, next, report);
      const place = places.historyBlock(block.first_row, block.row_count);
      if (block.first_row + block.row_count > run.history_count)
        report("history block", place, `beyond the run's ${run.history_count} rows`);
      if (result.damaged.length > before) continue;
      try {
        const texts = blockTexts(block, report);
        texts.forEach((text, i) => {
          const problem = bodyProblem(text);
          if (problem !== null) report("history row", `history row ${block.first_row + i}`, problem);
        });
      } catch (error) {
        report("history block", place, `cannot be read: ${errorMessage(error)}`);
      }
    }
    if (rows.length < BLOCK_PAGE) break;
    after = (rows[rows.length - 1] as PgHistoryBlockRow).first_row;
  }
  checkBlocksEnd(next, run.history_count, report);
}

/**
 * A database of schema 8 or older (one table row per history row; the check does not migrate):
 * rows 0 … history_count − 1, each once, each an extended-JSON object.
 */
export async function checkHistoryRows(
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

export function bodyProblem(body: string): string | null {
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
