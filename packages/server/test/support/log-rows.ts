/** Test rows in the run log's binary layout (protocol packed-rows.ts), as the SDK packs them. */
import { TAG_JSON, TAG_NUMBER } from "@stepwise/protocol";

/** A row of entries (key id, number) or (key id, JSON text). */
export function logRow(entries: Array<[number, number | string]>): Uint8Array {
  const parts = entries.map(([id, value]) => {
    if (typeof value === "number") {
      const entry = Buffer.alloc(13);
      entry.writeUInt32LE(id, 0);
      entry[4] = TAG_NUMBER;
      entry.writeDoubleLE(value, 5);
      return entry;
    }
    const json = Buffer.from(value);
    const entry = Buffer.alloc(9 + json.length);
    entry.writeUInt32LE(id, 0);
    entry[4] = TAG_JSON;
    entry.writeUInt32LE(json.length, 5);
    json.copy(entry, 9);
    return entry;
  });
  const count = Buffer.alloc(4);
  count.writeUInt32LE(entries.length, 0);
  return Buffer.concat([count, ...parts]);
}
