/**
 * Reads a packed ingest body (protocol packed-ingest.ts): the header validated like a JSON batch,
 * the packed rows checked whole (structure, keys, tags) and every JSON value parsed and bounded
 * in depth, so that the store is handed rows it can apply without failing.
 */
import {
  forEachPackedEntry,
  InvalidDataError,
  packedIngestHeaderSchema,
  parseExtended,
  readPackedRows,
  splitPackedIngest,
  type PackedRows,
} from "@stepwise/protocol";
import type { StoreBatch } from "../store/store.js";
import { InputError, parseInput } from "./input-error.js";
import { MAX_JSON_DEPTH } from "./json-body.js";
import { readBody, type BodyLimits } from "./read-body.js";
import { deeperThan } from "./value-depth.js";

export async function readPackedIngest(request: Request, limits: BodyLimits): Promise<StoreBatch> {
  const bytes = await readBody(request, limits);
  const { header, packed } = asInputError("body", () => splitPackedIngest(bytes));
  const { batch: parsed, historyOffset } = parseInput(packedIngestHeaderSchema, header, "body.header");
  const { history: _none, ...batch } = parsed; // the schema refuses a history in the header
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

function checkJsonValues(rows: PackedRows): void {
  for (let r = 0; r < rows.rowStarts.length; r++) {
    forEachPackedEntry(rows, r, (id, _value, json) => {
      if (json === null) return;
      const field = `body.history.rows[${r}].${rows.keys.get(id) ?? id}`;
      let value: unknown;
      try {
        value = parseExtended(json);
      } catch {
        throw new InputError([{ field, message: "is not valid extended JSON" }]);
      }
      if (deeperThan(value, MAX_JSON_DEPTH))
        throw new InputError([{ field, message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
    });
  }
}

function asInputError<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidDataError) throw new InputError([{ field, message: error.message }]);
    throw error;
  }
}
