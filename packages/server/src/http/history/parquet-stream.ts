/**
 * Parquet export in two passes: the first finds each column's type (all numbers → DOUBLE, with
 * NaN and ±Infinity kept; all booleans → BOOLEAN; anything else → STRING, objects as extended
 * JSON; a flat row's from its text, unparsed), the second writes the rows in row groups of 100,000 and streams each group out as it
 * is written, so memory holds one row group, not the file. The footer (which describes the
 * groups) goes last.
 */
import { parseExtended, stringifyExtended } from "@stepwise/protocol";
import { ByteWriter, parquetWriteRows, type BasicType } from "hyparquet-writer";
import { forEachLeaf, orderColumns } from "./flat-row.js";
import { FlatRowText, kindOfToken } from "./flat-row-text.js";

/** "none": only nulls so far. */
type Kind = "none" | "number" | "boolean" | "other";

export function parquetStream(scan: () => AsyncIterable<string[]>): ReadableStream<Uint8Array> {
  let resume: (() => void) | null = null;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const push = async (chunk: Uint8Array): Promise<void> => {
          controller.enqueue(chunk);
          // Backpressure: wait until the client has taken what is queued.
          while ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((r) => (resume = r));
        };
        writeParquet(scan, push).then(
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
  scan: () => AsyncIterable<string[]>,
  push: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const kinds = new Map<string, Kind>();
  let rowCount = 0;
  const note = (name: string, value: unknown): void =>
    void kinds.set(name, merge(kinds.get(name), kindOf(value)));
  // The types come from a flat row's value tokens without parsing it (see flat-row-text.ts).
  const flat = new FlatRowText();
  for await (const rows of scan())
    for (const text of rows) {
      rowCount++;
      if (!flat.read(text)) forEachLeaf(parseExtended(text), note);
      else
        for (let i = 0; i < flat.count; i++) {
          const name = flat.names[i] as string;
          kinds.set(name, merge(kinds.get(name), kindOfToken(flat.tokens[i] as string)));
        }
    }
  const columns = orderColumns(kinds.keys()).map((name) => ({
    name,
    type: typeOf(kinds.get(name)),
    nullable: true,
  }));
  const writer = new StreamingWriter(push);
  await parquetWriteRows({ writer, columns, rows: rowsOf(scan, rowCount, kinds), rowGroupSize: 100_000 });
  await writer.flush(); // the footer
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
      forEachLeaf(parseExtended(text), (name, value) => {
        out[name] =
          kinds.get(name) === "other" && typeof value !== "string" ? stringifyExtended(value) : value;
      });
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
