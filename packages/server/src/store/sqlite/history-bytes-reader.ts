/**
 * A run's whole history as NDJSON bytes, for the history export: each block's body read as its
 * UTF-8 bytes with a line break after it (`CAST(body || char(10) AS BLOB)`), handed out as it
 * comes. A scan that hands
 * out rows (history-reader.ts) decodes every body to a JS string, splits it into rows, and the
 * export then joined them and encoded them to UTF-8 again: ~0.5 s of ~0.8 s per million
 * 10-metric rows. The checks are the same: every block's checksum (over the same bytes), the
 * blocks following each other from row 0, and the run's row count reached at the end; damage
 * ends the scan with STORE_CORRUPT naming the run. Packed blocks not yet compacted are formatted
 * as the row scan formats them.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import { packedTexts } from "./history-compaction.js";
import { guarded } from "./store-corruption.js";
import { checkHistoryBlock, checkHistoryEnd, throwDamage, type HistoryBlockBytesRow } from "./stored-rows.js";

/**
 * Blocks per page: the first as small as a row scan's (5: the answer starts soon, and damage
 * found in it is answered as an error before any byte), then ≤ 20,000 rows, a few MiB.
 */
const FIRST_PAGE_BLOCKS = 5;
const PAGE_BLOCKS = 20;

export class HistoryBytesReader {
  private readonly runPk: Database.Statement<[string, string, string], { pk: number; history_count: number }>;
  private readonly page: Database.Statement<[number, number, number], HistoryBlockBytesRow>;
  private readonly database: string;

  constructor(db: Database.Database) {
    this.database = db.name;
    this.runPk = db.prepare(
      "SELECT pk, history_count FROM runs WHERE entity = ? AND project = ? AND run_id = ?",
    );
    this.page = db.prepare(
      // The line break is added by SQLite, so each block's rows go out as they come (see readPage).
      `SELECT first_index, row_count, min_step, max_step, steps, CAST(body || char(10) AS BLOB) AS body, packed, crc
       FROM history_blocks WHERE run_pk = ? AND first_index > ? ORDER BY first_index LIMIT ?`,
    );
  }

  /**
   * Pieces of NDJSON (whole rows, each ending in a line break: a block's rows, or a packed
   * block's); nothing for an unknown run. Every block of a page is checked before any of it is
   * handed out.
   */
  async *scan(ref: RunRef): AsyncGenerator<Uint8Array> {
    const run = guarded(this.database, ref, () => this.runPk.get(ref.entity, ref.project, ref.runId));
    if (run === undefined) return;
    let next = 0;
    let after = -1;
    for (let limit = FIRST_PAGE_BLOCKS; ; limit = PAGE_BLOCKS) {
      const { parts, blocks, last, end } = guarded(this.database, ref, () => {
        const page = this.readPage(run.pk, after, next, limit);
        if (page.blocks < limit) checkHistoryEnd(page.end, run.history_count, throwDamage);
        return page;
      });
      if (blocks === 0) return;
      after = last;
      next = end;
      for (const part of parts) yield part;
      if (blocks < limit) return;
      // Let other requests run between pages.
      await nextTurn();
    }
  }

  private readPage(pk: number, after: number, next: number, limit: number) {
    const blocks = this.page.all(pk, after, limit);
    const parts: Buffer[] = [];
    let end = next;
    for (const block of blocks) {
      // The checksum is over the stored text, without the line break the query added.
      const withBreak = block.body;
      block.body = withBreak.subarray(0, withBreak.length - 1);
      end = checkHistoryBlock(block, end, throwDamage);
      if (block.packed === null) {
        // Handed out as it came from SQLite: joining a page's blocks into one buffer copied
        // every byte once more (~0.1 s of CPU per 1M-row read under load).
        if (block.body.length > 0) parts.push(withBreak);
      } else {
        parts.push(Buffer.from(packedTexts(block.packed).join("\n") + "\n"));
      }
    }
    const last =
      blocks.length === 0 ? after : (blocks[blocks.length - 1] as HistoryBlockBytesRow).first_index;
    return { parts, blocks: blocks.length, last, end };
  }
}
