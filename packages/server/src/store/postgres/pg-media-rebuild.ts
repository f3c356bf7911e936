/**
 * Indexes runs stored before schema 5 (the media index, key kinds, histograms and table
 * versions did not exist on PostgreSQL; migration 5 lists those runs in `rich_value_rebuilds`):
 * their stored rows are read back, split as at ingest (domain/history-row.ts), and their rich
 * values written as a batch writes them (pg-media-writes.ts). One transaction per run, holding
 * the run row `FOR UPDATE` (a batch to the run waits) and the run's list entry `FOR UPDATE SKIP
 * LOCKED` (servers opening together share the work, never index a run twice); what an earlier
 * cut-short pass left is cleared first. Alerts are not rebuilt: their meta lines stay as logged.
 */
import type pg from "pg";
import { parseExtended } from "@stepwise/protocol";
import { splitHistoryRow } from "../../domain/history-row.js";
import { RichValueCollector } from "../../ingest/rich-values.js";
import { transaction } from "./pg-database.js";
import { RichWrites } from "./pg-media-writes.js";
import { throwDamage } from "../sqlite/stored-rows.js";
import {
  BLOCK_COLUMNS,
  blockSteps,
  blockTexts,
  checkBlock,
  type PgHistoryBlockRow,
} from "./pg-history-blocks.js";

/** History blocks (≤ 1,000 rows each) read and indexed at a time: a run of millions of rows is never held whole. */
const PAGE_BLOCKS = 5;

const ignorePoint = (): void => {};

/** Returns how many runs it indexed. */
export async function rebuildRichValues(pool: pg.Pool): Promise<number> {
  let indexed = 0;
  while (await transaction(pool, indexNextRun)) indexed++;
  return indexed;
}

async function indexNextRun(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ run_pk: number }>(
    "SELECT run_pk FROM rich_value_rebuilds ORDER BY run_pk LIMIT 1 FOR UPDATE SKIP LOCKED",
  );
  const pk = rows[0]?.run_pk;
  if (pk === undefined) return false;
  await client.query("SELECT pk FROM runs WHERE pk = $1 FOR UPDATE", [pk]);
  for (const table of ["media_items", "key_kinds", "histograms", "table_versions"])
    await client.query(`DELETE FROM ${table} WHERE run_pk = $1`, [pk]);
  for (let after = -1; ;) {
    const page = await client.query<PgHistoryBlockRow>(
      `SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE run_pk = $1 AND first_row > $2
       ORDER BY first_row LIMIT ${PAGE_BLOCKS}`,
      [pk, after],
    );
    const rich = new RichValueCollector();
    for (const block of page.rows) {
      // A damaged block is left out here as a row that does not parse is: reads report it.
      let texts: string[];
      try {
        checkBlock(block, null, throwDamage);
        texts = blockTexts(block, throwDamage);
      } catch {
        continue;
      }
      const steps = blockSteps(block);
      texts.forEach((body, i) => {
        const row = parseRow(body);
        if (row === null) return;
        rich.at(steps[i] as number, block.first_row + i);
        splitHistoryRow(row, ignorePoint, body, rich.sink);
      });
    }
    const writes = new RichWrites();
    writes.add(rich.values);
    await writes.send(client, pk);
    if (page.rows.length < PAGE_BLOCKS) break;
    after = (page.rows[page.rows.length - 1] as PgHistoryBlockRow).first_row;
  }
  await client.query("DELETE FROM rich_value_rebuilds WHERE run_pk = $1", [pk]);
  return true;
}

/** A stored row as an object; a row that does not parse is left out (reads report it). */
function parseRow(body: string): Record<string, unknown> | null {
  try {
    const row = parseExtended(body);
    return typeof row === "object" && row !== null && !Array.isArray(row)
      ? (row as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
