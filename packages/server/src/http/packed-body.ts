/**
 * Reads a packed ingest body (protocol packed-ingest.ts): the header validated like a JSON batch,
 * the packed rows checked whole (structure, keys, tags) and every JSON value parsed and bounded
 * in depth, so that the store is handed rows it can apply without failing.
 */
import {
  deeperThan,
  InvalidDataError,
  MAX_BODY_DEPTH,
  packedIngestHeaderSchema,
  parseExtended,
  readPackedRows,
  splitPackedIngest,
  TAG_NUMBER,
  type PackedRows,
} from "@stepwise/protocol";
import type { StoreBatch } from "../store/store.js";
import { checkBatchLimits, checkValues } from "./batch-limits.js";
import { InputError, parseInput } from "./input-error.js";
import { readBody, type BodyLimits } from "./read-body.js";

export async function readPackedIngest(request: Request, limits: BodyLimits): Promise<StoreBatch> {
  const bytes = await readBody(request, limits);
  const { header, packed } = asInputError("body", () => splitPackedIngest(bytes));
  // The header carries config, summary and meta records: bounded like a JSON body, then each
  // value held to its own limit, exactly as on the JSON path.
  if (deeperThan(header, MAX_BODY_DEPTH))
    throw new InputError([{ field: "body.header", message: `nests deeper than ${MAX_BODY_DEPTH} levels` }]);
  const { batch: parsed, historyOffset } = parseInput(packedIngestHeaderSchema, header, "body.header");
  const { history: _none, ...batch } = parsed; // the schema refuses a history in the header
  checkBatchLimits(batch, "body.header.batch");
  if (historyOffset === undefined) {
    if (packed.length > 0)
      throw new InputError([
        { field: "body.history", message: "packed rows need `historyOffset` in the header" },
      ]);
    return batch;
  }
  const rows = asInputError("body.history", () => readPackedRows(packed, "rows"));
  checkJsonValues(rows);
  return { ...batch, history: { offset: historyOffset, packed: rows } };
}

/** JSON values decode like a JSON body read as UTF-8: a malformed sequence becomes U+FFFD. */
const utf8Lenient = new TextDecoder("utf-8");

/** Every JSON value parsed and held to the value limits; numbers (nearly every entry) are stepped over. */
function checkJsonValues(rows: PackedRows): void {
  const { view, bytes } = rows;
  for (let r = 0; r < rows.rowStarts.length; r++) {
    let p = rows.rowStarts[r] as number;
    const count = view.getUint32(p, true);
    p += 4;
    for (let e = 0; e < count; e++) {
      if (bytes[p + 4] === TAG_NUMBER) {
        p += 13;
        continue;
      }
      const length = view.getUint32(p + 5, true);
      checkJsonValue(
        rows,
        r,
        view.getUint32(p, true),
        utf8Lenient.decode(bytes.subarray(p + 9, p + 9 + length)),
      );
      p += 9 + length;
    }
  }
}

function checkJsonValue(rows: PackedRows, r: number, id: number, json: string): void {
  const key = rows.keys.get(id) ?? String(id);
  const field = `body.history.rows[${r}]`;
  let value: unknown;
  try {
    value = parseExtended(json);
  } catch {
    throw new InputError([{ field: `${field}.${key.slice(0, 64)}`, message: "is not valid extended JSON" }]);
  }
  checkValues({ [key]: value }, field);
}

function asInputError<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidDataError) throw new InputError([{ field, message: error.message }]);
    throw error;
  }
}
