/**
 * Rewrites packed history blocks as text blocks. Packed rows are what ingestion stores cheaply
 * (no number is formatted while training streams); a scan of a packed block must format each
 * float64 (~300 ns), a text block is sliced as is (~15× faster). The server runs this when
 * ingestion is idle, a few blocks per step, so exports of settled runs read text.
 */
import type Database from "better-sqlite3";
import { formatPackedRow, keyPrefixes, readPackedRows } from "@stepwise/protocol";

export class HistoryCompaction {
  private readonly pick: Database.Statement<
    [number],
    { run_pk: number; first_index: number; packed: Buffer }
  >;
  private readonly rewrite: Database.Statement<[string, number, number]>;

  constructor(db: Database.Database) {
    this.pick = db.prepare(
      "SELECT run_pk, first_index, packed FROM history_blocks WHERE packed IS NOT NULL LIMIT ?",
    );
    this.rewrite = db.prepare(
      "UPDATE history_blocks SET body = ?, packed = NULL WHERE run_pk = ? AND first_index = ?",
    );
  }

  /** Rewrites up to `maxBlocks` packed blocks; returns how many it rewrote. */
  step(maxBlocks: number): number {
    const blocks = this.pick.all(Math.max(1, maxBlocks));
    for (const block of blocks) this.rewrite.run(packedToText(block.packed), block.run_pk, block.first_index);
    return blocks.length;
  }
}

/** A packed block's rows as extended-JSON text, one per line (the stored text block's body). */
export function packedToText(packed: Uint8Array): string {
  return packedTexts(packed).join("\n");
}

/** A packed block's rows as extended-JSON text (the store wrote the block, so it is not re-checked). */
export function packedTexts(packed: Uint8Array): string[] {
  const rows = readPackedRows(packed, "stored history block", { trusted: true });
  const prefixes = keyPrefixes(rows);
  const texts = new Array<string>(rows.rowStarts.length);
  for (let r = 0; r < texts.length; r++) texts[r] = formatPackedRow(rows, r, prefixes);
  return texts;
}
