/**
 * Reading history and stream lines back on PostgreSQL: history in the order it was logged (steps
 * only grow), in pages of whole blocks (pg-history-blocks.ts) by keyset on the block's first row,
 * so a deep page costs what the first does and no transaction stays open between pages; the
 * NDJSON export is the same blocks as bytes (a text block's body goes out as stored). Every
 * block is checked before any of its rows is handed out (its sum; on a whole scan, that the
 * blocks follow each other up to the run's row count): damage is STORE_CORRUPT naming the run,
 * never skipped. With `keys`, each page is projected to them as on SQLite
 * (store/history-projection.ts); a page left empty is not yielded.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type pg from "pg";
import { StoreCorruptError, type RunRef } from "@stepwise/protocol";
import { historyProjection } from "../history-projection.js";
import type { HistoryScanOptions } from "../store.js";
import { runPk } from "./pg-run-table.js";
import { PgHistoryCompaction } from "./pg-history-compaction.js";
import { fromPgText } from "./pg-nul-text.js";
import {
  BLOCK_COLUMNS,
  blockSteps,
  blockTexts,
  checkBlock,
  checkBlocksEnd,
  checkTextRowCount,
  type BlockReport,
  type PgHistoryBlockRow,
} from "./pg-history-blocks.js";

/** Blocks per page of rows: ≤ 5,000 rows (blocks hold ≤ 1,000). */
const PAGE_BLOCKS = 5;
/** Blocks per page of the export after its first (as small as a row page: damage in it is an error before any byte). */
const BYTE_PAGE_BLOCKS = 20;
const NEWLINE = Buffer.from("\n");

export class PgHistory {
  private readonly compaction: PgHistoryCompaction;

  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {
    this.compaction = new PgHistoryCompaction(pool, (ref, where, problem) =>
      this.damageError(ref, `${where}: ${problem}`),
    );
  }

  /** Rewrites up to `maxBlocks` packed blocks as text (pg-history-compaction.ts). */
  compact(maxBlocks: number): Promise<number> {
    return this.compaction.step(maxBlocks);
  }

  /** Pages of stored rows in [minStep, maxStep], verbatim. */
  async *pages(ref: RunRef, options: HistoryScanOptions = {}): AsyncGenerator<string[]> {
    const minStep = options.minStep ?? -Infinity;
    const maxStep = options.maxStep ?? Infinity;
    const whole = minStep === -Infinity && maxStep === Infinity;
    const project = options.keys ? historyProjection(options.keys) : null;
    const report = this.report(ref);
    for await (const blocks of this.blockPages(ref, minStep, maxStep, whole, () => PAGE_BLOCKS)) {
      const rows: string[] = [];
      for (const block of blocks) {
        const texts = blockTexts(block, report);
        if (block.min_step >= minStep && block.max_step <= maxStep) {
          for (const text of texts) rows.push(text);
        } else {
          const steps = blockSteps(block);
          for (let i = 0; i < texts.length; i++) {
            const step = steps[i] as number;
            if (step >= minStep && step <= maxStep) rows.push(texts[i] as string);
          }
        }
      }
      const page = project ? project(rows) : rows;
      if (page.length > 0) yield page;
    }
  }

  /** The whole history as NDJSON pieces (whole rows, each ending in a line break), checked as `pages`. */
  async *ndjson(ref: RunRef): AsyncGenerator<Uint8Array> {
    const report = this.report(ref);
    const sizes = (page: number) => (page === 0 ? PAGE_BLOCKS : BYTE_PAGE_BLOCKS);
    for await (const blocks of this.blockPages(ref, -Infinity, Infinity, true, sizes)) {
      const parts: Buffer[] = [];
      for (const block of blocks) {
        if (block.packed) {
          parts.push(Buffer.from(blockTexts(block, report).join("\n")), NEWLINE);
        } else {
          checkTextRowCount(block, report);
          parts.push(block.body, NEWLINE);
        }
      }
      if (parts.length > 0) yield Buffer.concat(parts);
    }
  }

  /**
   * The run's blocks in [minStep, maxStep], in pages of `size(page)` blocks, each checked; with
   * `whole`, they must follow each other from row 0 to the run's row count.
   */
  private async *blockPages(
    ref: RunRef,
    minStep: number,
    maxStep: number,
    whole: boolean,
    size: (page: number) => number,
  ): AsyncGenerator<PgHistoryBlockRow[]> {
    const run = await runPk(this.pool, ref);
    if (run === null) return;
    const report = this.report(ref);
    let after = -1;
    let next = 0;
    for (let page = 0; ; page++) {
      const limit = size(page);
      const { rows } = await this.pool.query<PgHistoryBlockRow>(
        `SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE run_pk = $1 AND first_row > $2
           AND max_step >= $3 AND min_step <= $4
         ORDER BY first_row LIMIT ${limit}`,
        [run.pk, after, minStep, maxStep],
      );
      for (const block of rows) next = checkBlock(block, whole ? next : null, report);
      if (whole && rows.length < limit) checkBlocksEnd(next, run.history_count, report);
      if (rows.length === 0) return;
      after = (rows[rows.length - 1] as PgHistoryBlockRow).first_row;
      yield rows;
      if (rows.length < limit) return;
      // Let other requests run between pages: a 10M-row scan must not hold the event loop.
      await nextTurn();
    }
  }

  async readStream(
    ref: RunRef,
    stream: "events" | "console",
    offset: number,
    limit: number,
  ): Promise<string[]> {
    const run = await runPk(this.pool, ref);
    if (run === null) return [];
    const { rows } = await this.pool.query<{ body: string }>(
      `SELECT body FROM stream_lines WHERE run_pk = $1 AND stream = $2 AND line_index >= $3
       ORDER BY line_index LIMIT $4`,
      [run.pk, stream, Math.max(0, offset), Math.max(0, limit)],
    );
    // Only console lines are kept as the sender's text (pg-nul-text.ts); events are JSON.
    return stream === "console" ? rows.map((r) => fromPgText(r.body)) : rows.map((r) => r.body);
  }

  private report(ref: RunRef): BlockReport {
    return (_item, where, problem) => this.damaged(ref, `${where}: ${problem}`);
  }

  private damaged(ref: RunRef, problem: string): never {
    throw this.damageError(ref, problem);
  }

  private damageError(ref: RunRef, problem: string): StoreCorruptError {
    const run = `${ref.entity}/${ref.project}/${ref.runId}`;
    return new StoreCorruptError(
      `run ${run} is damaged in the PostgreSQL database ${this.where}: ${problem}`,
      {
        run,
        item: "history block",
        where: problem,
        database: this.where,
      },
    );
  }
}
