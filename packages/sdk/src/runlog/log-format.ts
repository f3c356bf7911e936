/**
 * On-disk format of a run's record log (`run-<id>.swlog`), shared by the writer worker and
 * the reader. The file is append-only:
 *
 *   file header (16 bytes): "SWRUNLOG" | u16 version | u16 flags | u32 reserved
 *   frame:                  u32 FRAME_MAGIC | u32 crc32(length bytes ‖ payload) | u32 length | payload
 *
 * A payload is one of:
 *   - a record as UTF-8 extended JSON (it starts with `{`);
 *   - PAYLOAD_KEY:  0x01 | u32 keyId | the key JSON-encoded followed by `:` — defines a key id;
 *   - PAYLOAD_ROW:  0x02 | u32 count | count × (u32 keyId | u8 tag | tag 1: f64 | tag 2: u32 n + n bytes of extended JSON)
 *     — a history row. Rows stay binary on disk so that neither `log()` nor the writer formats
 *     numbers as text (the costliest part of encoding), and reading them back needs no JSON parse.
 * The magic lets a reader resynchronise after a corrupt region; the CRC covers the length so a
 * damaged length is caught too. All integers are little-endian.
 */
export const FILE_MAGIC = "SWRUNLOG";
export const FORMAT_VERSION = 1;
export const FILE_HEADER_BYTES = 16;
/** "SWR1" read as a little-endian u32. */
export const FRAME_MAGIC = 0x31525753;
export const FRAME_HEADER_BYTES = 12;
/** A record larger than this is treated as corruption (a history row is kilobytes; media travel as files). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const PAYLOAD_KEY = 0x01;
export const PAYLOAD_ROW = 0x02;
// A binary row's value tags; uploaded rows keep this layout (protocol packed-rows.ts).
export { TAG_JSON, TAG_NUMBER } from "@stepwise/protocol";
export const RUN_LOG_SUFFIX = ".swlog";

export function encodeFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  header.write(FILE_MAGIC, 0, "latin1");
  header.writeUInt16LE(FORMAT_VERSION, 8);
  return header;
}

export function runLogFileName(runId: string): string {
  return `run-${runId}${RUN_LOG_SUFFIX}`;
}
