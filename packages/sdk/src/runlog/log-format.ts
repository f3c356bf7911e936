/**
 * On-disk format of a run's record log (`run-<id>.swlog`), shared by the writer worker and
 * the reader. The file is append-only:
 *
 *   file header (16 bytes): "SWRUNLOG" | u16 version | u16 flags | u32 crc32(the 12 bytes before)
 *   frame:                  u32 FRAME_MAGIC | u32 crc32(length bytes ‖ payload) | u32 length | payload
 *
 * A payload is one of:
 *   - a record as UTF-8 extended JSON (it starts with `{`);
 *   - PAYLOAD_KEY:  0x01 | u32 keyId | the key JSON-encoded followed by `:` — defines a key id;
 *   - PAYLOAD_ROW:  0x02 | u32 count | count × (u32 keyId | u8 tag | tag 1: f64 | tag 2: u32 n + n bytes of extended JSON)
 *     — a history row. Rows stay binary on disk so that neither `log()` nor the writer formats
 *     numbers as text (the costliest part of encoding), and reading them back needs no JSON parse.
 *   - PAYLOAD_KEY_TABLE (version 2): 0x03 | u32 rowsBefore | u32 count | count × (u32 keyId | u32 n | n bytes: the key JSON-encoded)
 *     — a checkpoint the writer repeats (KEY_TABLE_EVERY_BYTES, and just before the exit record): every key defined
 *     so far, and how many history rows the log holds before it. Key ids are never reused, so a
 *     later table decodes rows whose key-definition frame was damaged, and the row count tells
 *     a reader exactly how many rows damaged bytes before it cost.
 * The magic lets a reader resynchronise after a corrupt region; the CRC covers the length so a
 * damaged length is caught too, and the header's CRC tells a damaged header from a newer
 * format (the reader then skips the header and reads the frames after it). All integers are
 * little-endian. Version 1 logs (no header CRC, no key tables) stay readable.
 */
import { crc32 } from "node:zlib";

export const FILE_MAGIC = "SWRUNLOG";
export const FORMAT_VERSION = 2;
export const FILE_HEADER_BYTES = 16;
/** "SWR1" read as a little-endian u32. */
export const FRAME_MAGIC = 0x31525753;
export const FRAME_HEADER_BYTES = 12;
/** A record larger than this is treated as corruption (a history row is kilobytes; media travel as files). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const PAYLOAD_KEY = 0x01;
export const PAYLOAD_ROW = 0x02;
export const PAYLOAD_KEY_TABLE = 0x03;
/**
 * The writer repeats the key table after this many bytes of frames, or after 16 times the
 * table's own size when that is more (a run with 10,000 keys does not spend a third of its log
 * on tables). 1 MiB is ~6,000 rows of 10 scalars: the most rows a damaged key definition can
 * cost when the process is killed before the next table (a finished run loses none: a table
 * is written just before the exit record).
 */
export const KEY_TABLE_EVERY_BYTES = 1024 * 1024;
// A binary row's value tags; uploaded rows keep this layout (protocol packed-rows.ts).
export { TAG_JSON, TAG_NUMBER } from "@stepwise/protocol";
export const RUN_LOG_SUFFIX = ".swlog";

export function encodeFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  header.write(FILE_MAGIC, 0, "latin1");
  header.writeUInt16LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(crc32(header.subarray(0, 12)) >>> 0, 12);
  return header;
}

/**
 * ok: a header this version reads (format 1 or 2); newer: intact, from a newer format;
 * damaged: neither (bad magic, or bytes that fail the CRC and are not a clean format-1 header).
 */
export type FileHeaderCheck =
  { kind: "ok"; version: number } | { kind: "newer"; version: number } | { kind: "damaged" };

export function checkFileHeader(header: Buffer): FileHeaderCheck {
  if (header.length < FILE_HEADER_BYTES || header.toString("latin1", 0, 8) !== FILE_MAGIC)
    return { kind: "damaged" };
  const version = header.readUInt16LE(8);
  const crcOk = crc32(header.subarray(0, 12)) >>> 0 === header.readUInt32LE(12);
  // Format 1 wrote zeros where format 2 keeps the CRC: exactly that header is format 1.
  if (version === 1 && header.readUInt16LE(10) === 0 && header.readUInt32LE(12) === 0)
    return { kind: "ok", version };
  if (!crcOk) return { kind: "damaged" };
  if (version > FORMAT_VERSION) return { kind: "newer", version };
  return version >= 1 ? { kind: "ok", version } : { kind: "damaged" };
}

export function runLogFileName(runId: string): string {
  return `run-${runId}${RUN_LOG_SUFFIX}`;
}
