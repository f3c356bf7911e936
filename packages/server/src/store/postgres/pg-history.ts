/**
 * Reading history and stream lines back on PostgreSQL: history rows in the order they were
 * logged (steps only grow), in pages of ≤ 5,000 rows by keyset on the row index, so a deep page
 * costs what the first does and no transaction stays open between pages; the whole NDJSON export
 * is the same pages as bytes. A whole scan checks that the rows follow each other up to the
 * run's row count (a hole is STORE_CORRUPT, never skipped). With `keys`, each page is projected
 * to them as on SQLite (store/history-projection.ts); a page left empty is not yielded.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type pg from "pg";
import { StoreCorruptError, type RunRef } from "@stepwise/protocol";
import { historyProjection } from "../history-projection.js";
import type { HistoryScanOptions } from "../store.js";
import { runPk } from "./pg-run-table.js";
import { fromPgText } from "./pg-nul-text.js";

const PAGE_ROWS = 5000;

export class PgHistory {
  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  /** Pages of stored rows in [minStep, maxStep], verbatim. */
  async *pages(ref: RunRef, options: HistoryScanOptions = {}): AsyncGenerator<string[]> {
    const run = await runPk(this.pool, ref);
    if (run === null) return;
    const minStep = options.minStep ?? null;
    const maxStep = options.maxStep ?? null;
    const whole = minStep === null && maxStep === null;
    const project = options.keys ? historyProjection(options.keys) : null;
    let after = -1;
    for (;;) {
      const { rows } = await this.pool.query<{ row_index: number; body: string }>(
        `SELECT row_index, body FROM history_rows WHERE run_pk = $1 AND row_index > $2
           AND ($3::float8 IS NULL OR step >= $3) AND ($4::float8 IS NULL OR step <= $4)
         ORDER BY row_index LIMIT ${PAGE_ROWS}`,
        [run.pk, after, minStep, maxStep],
      );
      if (whole) this.checkFollow(ref, rows, after, run.history_count);
      if (rows.length === 0) return;
      after = (rows[rows.length - 1] as { row_index: number }).row_index;
      const bodies = rows.map((r) => r.body);
      const page = project ? project(bodies) : bodies;
      if (page.length > 0) yield page;
      if (rows.length < PAGE_ROWS) return;
      // Let other requests run between pages: a 10M-row scan must not hold the event loop.
      await nextTurn();
    }
  }

  async *ndjson(ref: RunRef): AsyncGenerator<Uint8Array> {
    for await (const page of this.pages(ref)) yield Buffer.from(`${page.join("\n")}\n`);
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

  private checkFollow(ref: RunRef, rows: Array<{ row_index: number }>, after: number, count: number): void {
    rows.forEach((row, i) => {
      if (row.row_index !== after + 1 + i) this.damaged(ref, `history row ${after + 1 + i} is missing`);
    });
    const end =
      rows.length === 0 ? after + 1 : (rows[rows.length - 1] as { row_index: number }).row_index + 1;
    if (rows.length < PAGE_ROWS && end !== count)
      this.damaged(ref, `history ends at row ${end}, the run counts ${count}`);
  }

  private damaged(ref: RunRef, problem: string): never {
    const run = `${ref.entity}/${ref.project}/${ref.runId}`;
    throw new StoreCorruptError(
      `run ${run} is damaged in the PostgreSQL database ${this.where}: ${problem}`,
      {
        run,
        item: "history",
        where: problem,
        database: this.where,
      },
    );
  }
}
