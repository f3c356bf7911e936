/**
 * History compaction on PostgreSQL (Store.compactHistory, run by history-compactor.ts while
 * ingestion is idle, one server of a fleet at a time): packed blocks rewritten as text blocks,
 * as on SQLite (sqlite/history-compaction.ts), so exports of settled runs slice text instead of
 * formatting every float. A step takes up to `maxBlocks` packed blocks `FOR UPDATE SKIP LOCKED`
 * (the partial index of schema 9 finds them), verifies every one before rewriting any (damage is
 * never laundered into a text block with a fresh sum: a damaged block is reported once as
 * STORE_CORRUPT naming its run, left as it is and passed by after), and rewrites them in one
 * statement with their new sums.
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import { packedToText } from "../sqlite/history-compaction.js";
import { transaction } from "./pg-database.js";
import { BLOCK_COLUMNS, blockSum, checkBlock, type PgHistoryBlockRow } from "./pg-history-blocks.js";

type PackedBlock = PgHistoryBlockRow & { run_pk: number };

export class PgHistoryCompaction {
  /** Damaged blocks (`run_pk:first_row`) already reported: left packed, passed by. */
  private readonly damaged = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    /** Turns damage found in a block of run `ref` into the error a read of it throws. */
    private readonly corrupt: (ref: RunRef, where: string, problem: string) => Error,
  ) {}

  /** Rewrites up to `maxBlocks` packed blocks; returns how many it rewrote. */
  step(maxBlocks: number): Promise<number> {
    const max = Math.max(1, maxBlocks);
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<PackedBlock>(
        `SELECT run_pk, ${BLOCK_COLUMNS} FROM history_blocks WHERE packed
         ORDER BY run_pk, first_row LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [max + this.damaged.size],
      );
      const blocks = rows.filter((b) => !this.damaged.has(`${b.run_pk}:${b.first_row}`)).slice(0, max);
      for (const block of blocks)
        checkBlock(block, null, (_item, where, problem) => {
          this.damaged.add(`${block.run_pk}:${block.first_row}`);
          throw new DamageFound(block.run_pk, where, problem);
        });
      if (blocks.length === 0) return 0;
      const bodies = blocks.map((b) => Buffer.from(packedToText(b.body)));
      const sums = blocks.map((b, i) =>
        blockSum(b.first_row, b.row_count, b.min_step, b.max_step, false, b.steps, bodies[i] as Buffer),
      );
      await client.query(
        `UPDATE history_blocks h SET body = u.body, packed = false, sum = u.sum
         FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[]) AS u(r, f, body, sum)
         WHERE h.run_pk = u.r AND h.first_row = u.f AND h.packed`,
        [blocks.map((b) => b.run_pk), blocks.map((b) => b.first_row), bodies, sums],
      );
      return blocks.length;
    }).catch(async (error: unknown) => {
      if (!(error instanceof DamageFound)) throw error;
      throw this.corrupt(await this.refOf(error.runPk), error.where, error.problem);
    });
  }

  private async refOf(runPk: number): Promise<RunRef> {
    const { rows } = await this.pool.query<{ entity: string; project: string; run_id: string }>(
      "SELECT entity, project, run_id FROM runs WHERE pk = $1",
      [runPk],
    );
    const run = rows[0];
    return run
      ? { entity: run.entity, project: run.project, runId: run.run_id }
      : { entity: "?", project: "?", runId: `pk ${runPk}` };
  }
}

class DamageFound extends Error {
  constructor(
    readonly runPk: number,
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}
