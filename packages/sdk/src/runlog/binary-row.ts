/**
 * Decodes one binary history row of the run log (log-format.ts, PAYLOAD_ROW without its kind
 * byte) into the row object, keys looked up by id. Shared by the snapshot reader and the
 * uploader's tail reader.
 */
import { parseExtended } from "@stepwise/protocol";
import { TAG_NUMBER } from "./log-format.js";

/**
 * `start` is the offset of the row's entry count in `buffer`. Null when the row refers to a key
 * id that `keys` lacks (its definition was damaged): rowKeyIds() then says which ones; throws
 * on malformed bytes.
 */
export function decodeBinaryRow(
  buffer: Buffer,
  start: number,
  keys: readonly string[],
): Record<string, unknown> | null {
  const count = buffer.readUInt32LE(start);
  const row: Record<string, unknown> = {};
  let at = start + 4;
  for (let i = 0; i < count; i++) {
    const id = buffer.readUInt32LE(at);
    const key = keys[id];
    if (key === undefined) return null;
    if (buffer[at + 4] === TAG_NUMBER) {
      row[key] = buffer.readDoubleLE(at + 5);
      at += 13;
    } else {
      const length = buffer.readUInt32LE(at + 5);
      row[key] = parseExtended(buffer.toString("utf8", at + 9, at + 9 + length));
      at += 9 + length;
    }
  }
  return row;
}
