/**
 * Rewrites packed history blocks as text blocks. Packed rows are what ingestion stores cheaply
 * (no number is formatted while training streams); a scan of a packed block must format each
 * float64 (~300 ns), a text block is sliced as is (~15× faster). The server runs this when
 * ingestion is idle, a few blocks per step, so exports of settled runs read text.
 *
 * A block is verified before it is rewritten, so damage is never laundered into a text block
 * with a fresh checksum: a damaged block is left as it is, reported once, and skipped after.
 */
import type Database from "better-sqlite3";
import { formatPackedRow, keyPrefixes, readPackedRows, type RunRef } from "@stepwise/protocol";
import { historyBlockChecksum } from "./checksum.js";
import { asStoreCorruption } from "./store-corruption.js";
import {
  HISTORY_BLOCK_COLUMNS,
  throwDamage,
  verifyHistoryBlock,
  type HistoryBlockRow,
} from "./stored-rows.js";

type PackedBlockRow = HistoryBlockRow & { run_pk: number; packed: Buffer };

export class HistoryCompaction {
  private readonly pick: Database.Statement<[number], PackedBlockRow>;
  private readonly rewrite: Database.Statement<[string, number, number, number]>;
  private readonly runOf: Database.Statement<[number], { entity: string; project: string; run_id: string }>;
  /** Damaged blocks (`run_pk:first_index`) already reported: left packed, skipped. */
  private readonly damaged = new Set<string>();
  private readonly database: string;

  constructor(db: Database.Database) {
    this.database = db.name;
    this.pick = db.prepare(
      `SELECT run_pk, ${HISTORY_BLOCK_COLUMNS} FROM history_blocks
       WHERE packed IS NOT NULL LIMIT ?`,
    );
    this.rewrite = db.prepare(
      "UPDATE history_blocks SET body = ?, packed = NULL, crc = ? WHERE run_pk = ? AND first_index = ?",
    );
    this.runOf = db.prepare("SELECT entity, project, run_id FROM runs WHERE pk = ?");
  }

  /**
   * Rewrites up to `maxBlocks` packed blocks; returns how many it rewrote. A damaged block
   * throws STORE_CORRUPT naming its run, once; later steps pass it by.
   */
  step(maxBlocks: number): number {
    const picked = this.pick.all(Math.max(1, maxBlocks) + this.damaged.size);
    const blocks = picked
      .filter((b) => !this.damaged.has(`${b.run_pk}:${b.first_index}`))
      .slice(0, maxBlocks);
    // Every block is verified before any is rewritten, so a step that reports damage did nothing.
    for (const block of blocks) {
      try {
        verifyHistoryBlock(block, throwDamage);
      } catch (error) {
        this.damaged.add(`${block.run_pk}:${block.first_index}`);
        throw asStoreCorruption(error, this.database, this.refOf(block.run_pk));
      }
    }
    for (const block of blocks) {
      const { first_index: first, row_count: count, min_step: min, max_step: max } = block;
      const text = packedToText(block.packed);
      const crc = historyBlockChecksum(first, count, min, max, block.steps, text, null);
      this.rewrite.run(text, crc, block.run_pk, first);
    }
    return blocks.length;
  }

  private refOf(runPk: number): RunRef | null {
    const run = this.runOf.get(runPk);
    return run ? { entity: run.entity, project: run.project, runId: run.run_id } : null;
  }
}

/** A packed block's rows as extended-JSON text, one per line (the stored text block's body). */
export function packedToText(packed: Uint8Array): string {
  return packedTexts(packed).join("\n");
}

/** A packed block's rows as extended-JSON text (the block was verified against its checksum). */
export function packedTexts(packed: Uint8Array): string[] {
  const rows = readPackedRows(packed, "stored history block", { trusted: true });
  const prefixes = keyPrefixes(rows);
  const texts = new Array<string>(rows.rowStarts.length);
  for (let r = 0; r < texts.length; r++) texts[r] = formatPackedRow(rows, r, prefixes);
  return texts;
}
