/**
 * Parquet export over the history's NDJSON pages (parquet-columns.ts): each column's type from
 * the columns the store kept at ingest (`kept`, one pass), or, for a run without them, from a
 * first pass over the rows; then one row group is filled at a time, column by column, and
 * each group goes out as it is written, so memory holds one row group, not the file. The
 * footer (which describes the groups) goes last.
 */
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from "hyparquet-writer";
import { orderColumns } from "./flat-row.js";
import type { KeptHistoryColumns } from "../../store/history-columns.js";
import { columnKinds, foundColumns, rowGroups, typeOf, type Kind } from "./parquet-columns.js";
import { snappyCompress } from "./snappy-compress.js";

/**
 * Rows per row group. hyparquet-writer writes a group in one synchronous call, during which the
 * server answers nothing else: ~0.1 s for 100,000 rows of 13 DOUBLE columns on a quiet machine,
 * about half at 50,000, for the same CPU in all and a file 0.14% larger (A/B over 300,000
 * bench rows; 25,000: +0.4%).
 */
const GROUP_ROWS = 50_000;

/** The kept columns of a dense run from its series (Store.historyColumnGroups), or null. */
export type DenseGroups = (
  names: readonly string[],
  groupRows: number,
) => Promise<AsyncIterable<Float64Array[]> | null>;

export function parquetStream(
  scan: () => AsyncIterable<Uint8Array>,
  kept: KeptHistoryColumns | null = null,
  dense: DenseGroups | null = null,
  found: ((kept: KeptHistoryColumns) => void) | null = null,
): ReadableStream<Uint8Array> {
  let resume: (() => void) | null = null;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const push = async (chunk: Uint8Array): Promise<void> => {
          controller.enqueue(chunk);
          // Backpressure: wait until the client has taken what is queued.
          while ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((r) => (resume = r));
        };
        writeParquet(scan, kept, dense, found, push).then(
          () => controller.close(),
          (error: unknown) => controller.error(error),
        );
      },
      pull() {
        resume?.();
        resume = null;
      },
    },
    { highWaterMark: 2 },
  );
}

/** The kept columns as the first pass would have found them. */
function keptKinds(kept: KeptHistoryColumns): { kinds: Map<string, Kind>; rowCount: number } {
  const { names, kinds } = kept.columns;
  return { kinds: new Map(names.map((name, i) => [name, kinds[i] as Kind])), rowCount: kept.rowCount };
}

/** A ByteWriter that hands its bytes on after every row group instead of keeping the file. */
class StreamingWriter extends ByteWriter {
  constructor(private readonly push: (chunk: Uint8Array) => Promise<void>) {
    super(1 << 20);
  }

  /** Called by the Parquet writer after each row group; resets the buffer (`offset` keeps counting). */
  flush(): Promise<void> {
    const chunk = this.getBytes().slice();
    this.index = 0;
    return this.push(chunk);
  }
}

async function writeParquet(
  scan: () => AsyncIterable<Uint8Array>,
  kept: KeptHistoryColumns | null,
  dense: DenseGroups | null,
  found: ((kept: KeptHistoryColumns) => void) | null,
  push: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const { kinds, rowCount } = kept === null ? await columnKinds(scan) : keptKinds(kept);
  if (kept === null) found?.(foundColumns(kinds, rowCount));
  const names = orderColumns(kinds.keys());
  const columns = names.map((name) => ({ name, type: typeOf(kinds.get(name)), nullable: true }));
  const withData = (data: ColumnSource["data"][]): ColumnSource[] =>
    columns.map((column, c) => ({ ...column, data: data[c] ?? [] }));
  const writer = new StreamingWriter(push);
  const parquet = new ParquetWriter({
    writer,
    schema: schemaFromColumnData({ columnData: withData([]) }),
    // The writer's own SNAPPY, byte for byte, in less time (snappy-compress.ts).
    compressors: { SNAPPY: snappyCompress },
  });
  let groups = 0;
  // A dense run's DOUBLE columns straight from its series' float64 chunks; else from the rows.
  const groupSource =
    (kept !== null && dense !== null ? await dense(names, GROUP_ROWS) : null) ??
    rowGroups(scan, names, kinds, rowCount, GROUP_ROWS);
  for await (const group of groupSource) {
    await parquet.write({ columnData: withData(group as ColumnSource["data"][]), rowGroupSize: GROUP_ROWS });
    groups++;
  }
  // No rows: a valid file with the columns and one empty row group, as before.
  if (groups === 0) await parquet.write({ columnData: withData([]), rowGroupSize: GROUP_ROWS });
  await parquet.finish();
  await writer.flush(); // the footer
}
