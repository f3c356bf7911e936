/**
 * The packed ingest body: an ingest batch whose history rows travel as packed rows
 * (packed-rows.ts) instead of JSON, sent with `content-type: PACKED_INGEST_CONTENT_TYPE`.
 *
 *   body := "SWB1" | u32 n | n bytes UTF-8 extended JSON header | packed rows (when the header has `historyOffset`)
 *
 * The header is `{ batch, historyOffset? }`: `batch` is an IngestBatch without `history`, and
 * `historyOffset` the stream offset of the first packed row. Offsets, idempotency and gaps are
 * exactly those of the JSON body.
 */
import { z } from "zod";
import { ingestBatchSchema, type IngestBatch } from "./ingest.js";
import { parseExtended, stringifyExtended } from "./extended-json.js";
import { InvalidDataError } from "./errors.js";

export const PACKED_INGEST_CONTENT_TYPE = "application/vnd.stepwise.ingest+packed";
const MAGIC = [0x53, 0x57, 0x42, 0x31]; // "SWB1"

export const packedIngestHeaderSchema = z
  .object({
    batch: ingestBatchSchema.refine((b) => b.history === undefined, {
      message: "history travels as packed rows after the header, not in it",
      path: ["history"],
    }),
    historyOffset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export type PackedIngestHeader = z.infer<typeof packedIngestHeaderSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodePackedIngest(
  batch: Omit<IngestBatch, "history">,
  history: { offset: number; packed: Uint8Array } | null,
): Uint8Array {
  const header: Record<string, unknown> = { batch };
  if (history !== null) header.historyOffset = history.offset;
  const json = encoder.encode(stringifyExtended(header));
  const out = new Uint8Array(8 + json.length + (history?.packed.length ?? 0));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  if (history !== null) out.set(history.packed, 8 + json.length);
  return out;
}

/** Splits a packed body into its parsed (not yet validated) header and the packed rows. */
export function splitPackedIngest(bytes: Uint8Array): { header: unknown; packed: Uint8Array } {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new InvalidDataError('body: a packed ingest body starts with "SWB1" and the header length');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) throw new InvalidDataError("body: the header runs past the end of the body");
  let header: unknown;
  try {
    header = parseExtended(decoder.decode(bytes.subarray(8, 8 + length)));
  } catch {
    throw new InvalidDataError("body: the header is not valid UTF-8 JSON");
  }
  return { header, packed: bytes.subarray(8 + length) };
}
