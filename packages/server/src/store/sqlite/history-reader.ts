/**
 * Reading stored rows back: history in the order it was logged (step order: steps only grow),
 * in pages of whole stored blocks (keyset on the block's first row, so a scan of millions of
 * rows costs the same per page at any depth and holds no read transaction open between pages),
 * and the events/console lines by offset.
 *
 * With `keys`, rows are projected to them (store/history-projection.ts, shared with PostgreSQL);
 * without, rows are verbatim (packed blocks are formatted as text here, keys in the order they
 * were logged).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import { historyProjection } from "../history-projection.js";
import type { HistoryScanOptions } from "../store.js";
import { fromBlob } from "./float-blob.js";
import { packedTexts } from "./history-compaction.js";
import { guarded } from "./store-corruption.js";
import {
  checkHistoryBlock,
  checkHistoryEnd,
  HISTORY_BLOCK_COLUMNS,
  throwDamage,
  type HistoryBlockRow,
} from "./stored-rows.js";

/** Blocks per page: ≤ 5,000 rows (blocks hold ≤ 1,000). */
const PAGE_BLOCKS = 5;

export class HistoryReader {
  private readonly runPk: Database.Statement<[string, string, string], { pk: number; history_count: number }>;
  private readonly page: Database.Statement<[number, number, number, number], HistoryBlockRow>;
  private readonly lines: Database.Statement<[number, string, number, number], { body: string }>;
  private readonly database: string;

  constructor(db: Database.Database) {
    this.database = db.name;
    this.runPk = db.prepare(
      "SELECT pk, history_count FROM runs WHERE entity = ? AND project = ? AND run_id = ?",
    );
    this.page = db.prepare(
      `SELECT ${HISTORY_BLOCK_COLUMNS} FROM history_blocks
       WHERE run_pk = ? AND first_index > ? AND max_step >= ? AND min_step <= ?
       ORDER BY first_index LIMIT ${PAGE_BLOCKS}`,
    );
    this.lines = db.prepare(
      `SELECT body FROM stream_lines WHERE run_pk = ? AND stream = ? AND line_index >= ?
       ORDER BY line_index LIMIT ?`,
    );
  }

  async *scan(ref: RunRef, options: HistoryScanOptions = {}): AsyncGenerator<string[]> {
    const run = guarded(this.database, ref, () => this.runPk.get(ref.entity, ref.project, ref.runId));
    if (run === undefined) return;
    const minStep = options.minStep ?? -Infinity;
    const maxStep = options.maxStep ?? Infinity;
    const project = options.keys ? historyProjection(options.keys) : null;
    // A whole scan reads every block: they must follow each other up to the run's row count.
    const whole = minStep === -Infinity && maxStep === Infinity;
    let next = 0;
    let after = -1;
    for (;;) {
      // A block that fails its checksum, or is missing, ends the scan with STORE_CORRUPT naming
      // the run: rows before it were sent, none after (see http/routes/history-route.ts).
      const { rows, last, blocks, end } = guarded(this.database, ref, () => {
        const page = this.readPage(run.pk, after, minStep, maxStep, whole ? next : null);
        if (whole && page.blocks < PAGE_BLOCKS) checkHistoryEnd(page.end, run.history_count, throwDamage);
        return page;
      });
      if (blocks === 0) return;
      after = last;
      next = end;
      const page = project ? project(rows) : rows;
      if (page.length > 0) yield page;
      if (blocks < PAGE_BLOCKS) return;
      // Let other requests run between pages: a 10M-row scan must not hold the event loop.
      await nextTurn();
    }
  }

  /**
   * The rows of the next page of blocks in [minStep, maxStep], each block verified first; with
   * `next`, the first must start at row `next` and each the row after the one before.
   */
  private readPage(
    pk: number,
    after: number,
    minStep: number,
    maxStep: number,
    next: number | null,
  ): { rows: string[]; last: number; blocks: number; end: number } {
    const blocks = this.page.all(pk, after, minStep, maxStep);
    const rows: string[] = [];
    let end = next ?? 0;
    for (const block of blocks) {
      end = checkHistoryBlock(block, next === null ? null : end, throwDamage);
      const texts = block.packed === null ? block.body.split("\n") : packedTexts(block.packed);
      if (block.min_step >= minStep && block.max_step <= maxStep) {
        for (const text of texts) rows.push(text);
      } else {
        const steps = fromBlob(block.steps);
        for (let i = 0; i < texts.length; i++) {
          const step = steps[i] as number;
          if (step >= minStep && step <= maxStep) rows.push(texts[i] as string);
        }
      }
    }
    const last = blocks.length === 0 ? after : (blocks[blocks.length - 1] as HistoryBlockRow).first_index;
    return { rows, last, blocks: blocks.length, end };
  }

  readStream(ref: RunRef, stream: "events" | "console", offset: number, limit: number): string[] {
    return guarded(this.database, ref, () => {
      const pk = this.runPk.get(ref.entity, ref.project, ref.runId)?.pk;
      if (pk === undefined) return [];
      return this.lines.all(pk, stream, Math.max(0, offset), Math.max(0, limit)).map((r) => r.body);
    });
  }
}
