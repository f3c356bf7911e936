/**
 * The ingest port (ingest/ingest-port.ts) on SQLite: `withRun` is one better-sqlite3
 * transaction, run at once, so the read of the run, the decision (ingest/apply-batch.ts) and
 * every write happen with no other write in between; it is committed before the promise settles
 * (WAL, synchronous=NORMAL: durable against a process crash; a power cut may lose the last
 * commits but never corrupts). IMMEDIATE: the write lock is taken before the run is read, so a
 * second connection (another process on the same file) waits its turn instead of failing on a
 * stale snapshot, and two new runs in a project never read the same count. History rows are
 * kept in blocks (≤ 1,000 rows, ≤ ~1 MiB: history-block.ts), as text or packed.
 */
import type Database from "better-sqlite3";
import type { AlertRecord, PackedRows, RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store.js";
import type { HistoryRowWrites, IngestPort, RunSnapshot, RunWrites } from "../../ingest/ingest-port.js";
import type { RichValue } from "../../ingest/rich-values.js";
import { historyBlockChecksum } from "./checksum.js";
import { toBlob } from "./float-blob.js";
import { HistoryBlock } from "./history-block.js";
import { HistoryColumnsRecords } from "./history-columns-records.js";
import { packedBlock } from "./packed-block.js";
import type { RichValueExtension } from "./rich-value-hook.js";
import type { RunTable } from "./run-table.js";
import type { SeriesWriter } from "./series-writer.js";
import type { SqliteAlertStore } from "./alert-records.js";

type Work<T> = (snapshot: RunSnapshot, open: (run: StoredRun) => RunWrites) => T;

export class SqliteIngestPort implements IngestPort {
  private readonly insertHistory: Database.Statement<
    [number, number, number, number, number, Buffer, string, Uint8Array | null, number]
  >;
  private readonly insertLine: Database.Statement<[number, string, number, string]>;
  private readonly upsertLine: Database.Statement<[number, string, number, string]>;
  private readonly transaction: Database.Transaction<(ref: RunRef, work: Work<unknown>) => unknown>;
  private readonly columns: HistoryColumnsRecords;

  constructor(
    db: Database.Database,
    private readonly runs: RunTable,
    private readonly series: SeriesWriter,
    /** Rich values hook (rich-value-hook.ts): non-numeric values of the batch's new rows. */
    private readonly richValues: readonly RichValueExtension[] = [],
    /** Keeps the batch's `alert` meta records (alert-records.ts). */
    private readonly alerts: Pick<SqliteAlertStore, "record"> | null = null,
  ) {
    this.insertHistory = db.prepare(
      `INSERT INTO history_blocks (run_pk, first_index, row_count, min_step, max_step, steps, body, packed, crc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertLine = db.prepare(
      "INSERT INTO stream_lines (run_pk, stream, line_index, body) VALUES (?, ?, ?, ?)",
    );
    this.upsertLine = db.prepare(
      `INSERT INTO stream_lines (run_pk, stream, line_index, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_pk, stream, line_index) DO UPDATE SET body = excluded.body`,
    );
    this.transaction = db.transaction((ref: RunRef, work: Work<unknown>) => this.run(ref, work));
    this.columns = new HistoryColumnsRecords(db);
  }

  withRun<T>(ref: RunRef, work: Work<T>): Promise<T> {
    try {
      return Promise.resolve(this.transaction.immediate(ref, work) as T);
    } catch (error) {
      // The transaction rolled back: the cached series tails may hold its points.
      this.series.forget();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private run(ref: RunRef, work: Work<unknown>): unknown {
    const found = this.runs.find(ref);
    const snapshot: RunSnapshot = found
      ? { run: found.run, projectRuns: 0 }
      : { run: null, projectRuns: this.runs.countProjectRuns(ref.entity, ref.project) };
    return work(snapshot, (run) => this.writes(found ? found.pk : this.runs.create(run)));
  }

  private writes(pk: number): RunWrites {
    return {
      line: (stream, index, text) => this.insertLine.run(pk, stream, index, text),
      consoleLine: (index, text) => this.upsertLine.run(pk, "console", index, text),
      alert: (index: number, record: AlertRecord, replay: boolean, now: number) =>
        this.alerts?.record(pk, index, record, replay, now),
      historyRows: () => this.textBlocks(pk),
      packedHistoryRows: (packed) => this.packedBlocks(pk, packed),
      seriesPoints: (key, xs, ys) => this.series.append(pk, key, xs, ys),
      richValues: (values: readonly RichValue[]) => {
        for (const extension of this.richValues) extension.apply(pk, values);
      },
      save: (run) => this.runs.save(pk, run),
      historyColumns: () => this.columns.read(pk),
      saveHistoryColumns: (columns) => this.columns.save(pk, columns),
    };
  }

  /** Rows as text, newline-joined, a block at a time. */
  private textBlocks(pk: number): HistoryRowWrites {
    const block = new HistoryBlock();
    let blockStart = -1;
    const write = (): void => this.writeBlock(pk, blockStart, block);
    return {
      row: (index, step, text) => {
        if (block.rows === 0) blockStart = index;
        if (block.add(step, text)) write();
      },
      packedRow: () => {
        throw new Error("a packed row in a text history batch");
      },
      end: () => {
        if (block.rows > 0) write();
      },
    };
  }

  /** Packed rows, stored packed (a block = the batch's key table + its rows). */
  private packedBlocks(pk: number, packed: PackedRows): HistoryRowWrites {
    const block = new HistoryBlock();
    let blockFirstRow = -1;
    let blockStart = -1;
    let blockBytes = 0;
    let lastRow = -1;
    const write = (): void => {
      this.writeBlock(pk, blockStart, block, packedBlock(packed, blockFirstRow, lastRow + 1));
      blockBytes = 0;
    };
    return {
      row: () => {
        throw new Error("a text row in a packed history batch");
      },
      packedRow: (i, index, step) => {
        if (block.rows === 0) {
          blockFirstRow = i;
          blockStart = index;
        }
        lastRow = i;
        block.steps[block.rows++] = step;
        blockBytes += (packed.rowEnds[i] as number) - (packed.rowStarts[i] as number);
        if (block.rows === HistoryBlock.MAX_ROWS || blockBytes >= HistoryBlock.MAX_CHARS) write();
      },
      end: () => {
        if (block.rows > 0) write();
      },
    };
  }

  private writeBlock(
    pk: number,
    firstIndex: number,
    block: HistoryBlock,
    packed: Uint8Array | null = null,
  ): void {
    const steps = block.steps.subarray(0, block.rows);
    let min = Infinity;
    let max = -Infinity;
    for (const step of steps) {
      if (step < min) min = step;
      if (step > max) max = step;
    }
    const body = packed === null ? block.texts.join("\n") : "";
    const stepBytes = toBlob(steps);
    const crc = historyBlockChecksum(firstIndex, block.rows, min, max, stepBytes, body, packed);
    this.insertHistory.run(pk, firstIndex, block.rows, min, max, stepBytes, body, packed, crc);
    block.reset();
  }
}
