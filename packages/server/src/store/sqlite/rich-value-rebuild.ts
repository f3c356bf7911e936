/**
 * Indexes runs stored before the rich values hook existed (schema 8 lists them in
 * `rich_value_rebuilds`): their stored history rows are read back, split as at ingest, and
 * their rich values handed to the same extensions. One transaction per run, which also takes
 * the run off the list, so an open cut short goes on where it stopped. Rows of a damaged block
 * are skipped here (the block is reported by the reads that need it, not at open).
 */
import type Database from "better-sqlite3";
import { parseExtended } from "@stepwise/protocol";
import { splitHistoryRow } from "../../domain/history-row.js";
import { fromBlob } from "./float-blob.js";
import { packedTexts } from "./history-compaction.js";
import { RichValueCollector, type RichValueExtension } from "./rich-value-hook.js";

interface BlockRow {
  first_index: number;
  steps: Buffer;
  body: string;
  packed: Uint8Array | null;
}

const ignorePoint = (): void => {};

/** Returns how many runs it indexed. */
export function rebuildRichValues(db: Database.Database, extensions: readonly RichValueExtension[]): number {
  const pending = db
    .prepare("SELECT run_pk FROM rich_value_rebuilds ORDER BY run_pk")
    .pluck()
    .all() as number[];
  if (pending.length === 0) return 0;
  // One block read at a time: the connection cannot write while a statement iterates.
  const starts = db.prepare<[number], number>(
    "SELECT first_index FROM history_blocks WHERE run_pk = ? ORDER BY first_index",
  );
  const blockAt = db.prepare<[number, number], BlockRow>(
    "SELECT first_index, steps, body, packed FROM history_blocks WHERE run_pk = ? AND first_index = ?",
  );
  const done = db.prepare<[number]>("DELETE FROM rich_value_rebuilds WHERE run_pk = ?");
  const indexRun = db.transaction((pk: number) => {
    // Whatever an earlier rebuild or the hook left is replaced, so a rebuild can run again.
    for (const extension of extensions) extension.clearRun?.(pk);
    for (const start of starts.pluck().all(pk)) {
      const block = blockAt.get(pk, start);
      if (block === undefined) continue;
      // Handed over a block at a time: a run of a million rows is never held whole.
      const rich = new RichValueCollector();
      const steps = fromBlob(block.steps);
      const texts = block.packed === null ? block.body.split("\n") : packedTexts(block.packed);
      texts.forEach((text, i) => {
        let row: unknown;
        try {
          row = parseExtended(text);
        } catch {
          return;
        }
        if (typeof row !== "object" || row === null) return;
        rich.at(steps[i] ?? 0, block.first_index + i);
        splitHistoryRow(row as Record<string, unknown>, ignorePoint, text, rich.sink);
      });
      rich.flush(pk, extensions);
    }
    done.run(pk);
  });
  for (const pk of pending) indexRun(pk);
  return pending.length;
}
