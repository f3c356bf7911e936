/**
 * Parquet export in two passes: the first finds each column's type (all numbers → DOUBLE, with
 * NaN and ±Infinity kept; all booleans → BOOLEAN; anything else → STRING, objects as extended
 * JSON), the second writes the rows in row groups. The file is built in memory — its size, not
 * the history's — because Parquet's footer comes after the data it describes.
 */
import { stringifyExtended } from "@stepwise/protocol";
import { ByteWriter, parquetWriteRows, type BasicType } from "hyparquet-writer";
import { flattenRowText, orderColumns } from "./flat-row.js";

/** "none": only nulls so far. */
type Kind = "none" | "number" | "boolean" | "other";

export async function parquetBytes(scan: () => AsyncIterable<string[]>): Promise<Uint8Array> {
  const kinds = new Map<string, Kind>();
  let rowCount = 0;
  for await (const rows of scan())
    for (const text of rows) {
      rowCount++;
      for (const [name, value] of flattenRowText(text))
        kinds.set(name, merge(kinds.get(name), kindOf(value)));
    }
  const columns = orderColumns(kinds.keys()).map((name) => ({
    name,
    type: typeOf(kinds.get(name)),
    nullable: true,
  }));
  const writer = new ByteWriter();
  await parquetWriteRows({ writer, columns, rows: rowsOf(scan, rowCount, kinds), rowGroupSize: 100_000 });
  return writer.getBytes();
}

async function* rowsOf(
  scan: () => AsyncIterable<string[]>,
  rowCount: number,
  kinds: Map<string, Kind>,
): AsyncGenerator<Record<string, unknown>> {
  let emitted = 0;
  for await (const rows of scan())
    for (const text of rows) {
      // Rows logged after the first pass would bring columns the schema does not have.
      if (emitted++ === rowCount) return;
      const out: Record<string, unknown> = {};
      for (const [name, value] of flattenRowText(text))
        out[name] =
          kinds.get(name) === "other" && typeof value !== "string" ? stringifyExtended(value) : value;
      yield out;
    }
}

function kindOf(value: unknown): Kind {
  if (value === null) return "none";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "other";
}

function merge(known: Kind | undefined, next: Kind): Kind {
  if (known === undefined || known === "none") return next;
  if (next === "none" || next === known) return known;
  return "other";
}

function typeOf(kind: Kind | undefined): BasicType {
  if (kind === "boolean") return "BOOLEAN";
  if (kind === "other") return "STRING";
  return "DOUBLE";
}
