/**
 * A stored table's matching rows as a file, streamed as the client reads (a table read worker
 * yields 10,000 rows at a time, nothing more is held): CSV (a header of column names, cells as history
 * CSV writes them: protocol csv-field.ts) or Parquet (row groups of 100,000; number columns
 * DOUBLE, boolean columns BOOLEAN, the others STRING with objects as extended JSON).
 */
import { encodeCsvField, quoteCsvText, stringifyExtended, type TableColumn } from "@stepwise/protocol";
import { ByteWriter, ParquetWriter, schemaFromColumnData, type BasicType } from "hyparquet-writer";

const ROW_GROUP_ROWS = 100_000;

/** `pages` yields rows (cells of `columns`, in order); `done` runs when the stream ends or is cancelled. */
export function csvExport(
  columns: readonly TableColumn[],
  pages: AsyncIterator<unknown[][]>,
  done: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      if (header) {
        text = `${columns.map((c) => quoteCsvText(c.name)).join(",")}\n`;
        header = false;
      }
      const next = await pages.next();
      if (next.done !== true) for (const row of next.value) text += `${row.map(encodeCsvField).join(",")}\n`;
      if (text !== "") controller.enqueue(encoder.encode(text));
      if (next.done === true) {
        done();
        controller.close();
      }
    },
    cancel: done,
  });
}

export function parquetExport(
  columns: readonly TableColumn[],
  pages: AsyncIterator<unknown[][]>,
  done: () => void,
): ReadableStream<Uint8Array> {
  const types = columns.map((c): BasicType =>
    c.type === "number" ? "DOUBLE" : c.type === "boolean" ? "BOOLEAN" : "STRING",
  );
  const chunks: Uint8Array[] = [];
  const writer = new ChunkWriter(chunks);
  const schema = schemaFromColumnData({
    columnData: columns.map((c, i) => ({
      name: c.name,
      type: types[i] as BasicType,
      nullable: true,
      data: [],
    })),
  });
  const parquet = new ParquetWriter({ writer, schema });
  let group: unknown[][] = columns.map(() => []);
  let finished = false;
  const writeGroup = (): void => {
    const rows = group[0]?.length ?? 0;
    if (rows === 0) return;
    // The writer's flush (ChunkWriter) is synchronous, so write() finishes before it returns.
    void parquet.write({
      columnData: columns.map((c, i) => ({
        name: c.name,
        type: types[i] as BasicType,
        data: group[i] as never,
      })),
      rowGroupSize: rows,
    });
    group = columns.map(() => []);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (chunks.length === 0 && !finished) {
        const next = await pages.next();
        if (next.done === true) {
          writeGroup();
          void parquet.finish();
          writer.flush();
          finished = true;
          break;
        }
        for (const row of next.value)
          row.forEach((cell, i) => {
            (group[i] as unknown[]).push(parquetCell(cell, types[i] as BasicType));
          });
        if ((group[0]?.length ?? 0) >= ROW_GROUP_ROWS) writeGroup();
      }
      const chunk = chunks.shift();
      if (chunk !== undefined) controller.enqueue(chunk);
      if (finished && chunks.length === 0) {
        done();
        controller.close();
      }
    },
    cancel: done,
  });
}

function parquetCell(cell: unknown, type: BasicType): unknown {
  if (cell === null || cell === undefined) return null;
  if (type === "DOUBLE") return typeof cell === "number" ? cell : null;
  if (type === "BOOLEAN") return typeof cell === "boolean" ? cell : null;
  return typeof cell === "string" ? cell : stringifyExtended(cell);
}

/** A ByteWriter that hands its bytes on after every row group instead of keeping the file. */
class ChunkWriter extends ByteWriter {
  constructor(private readonly out: Uint8Array[]) {
    super(1 << 20);
  }

  flush(): void {
    if (this.index > 0) this.out.push(this.getBytes().slice());
    this.index = 0;
  }
}
