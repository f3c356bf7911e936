/**
 * Reads the two payloads that give binary history rows their keys (log-format.ts): a key
 * definition (PAYLOAD_KEY) and a key table checkpoint (PAYLOAD_KEY_TABLE). Shared by the run
 * log reader and the uploader's tail reader. `payload` starts at the kind byte.
 */
import { PAYLOAD_KEY, PAYLOAD_KEY_TABLE, TAG_NUMBER } from "./log-format.js";

export interface KeyTableCheckpoint {
  /** History rows the log holds before the table. */
  rowsBefore: number;
  keys: Array<{ id: number; key: string }>;
}

export function isKeyPayload(kind: number | undefined): boolean {
  return kind === PAYLOAD_KEY || kind === PAYLOAD_KEY_TABLE;
}

/** `0x01 | u32 id | "key":` → the definition. Throws on malformed bytes. */
export function readKeyDefinition(payload: Buffer): { id: number; key: string } {
  const key = JSON.parse(payload.toString("utf8", 5, payload.length - 1)) as unknown;
  if (typeof key !== "string") throw new Error("key definition is not a string");
  return { id: payload.readUInt32LE(1), key };
}

/** `0x03 | u32 rowsBefore | u32 count | entries` → the checkpoint. Throws on malformed bytes. */
export function readKeyTable(payload: Buffer): KeyTableCheckpoint {
  const rowsBefore = payload.readUInt32LE(1);
  const count = payload.readUInt32LE(5);
  const keys: KeyTableCheckpoint["keys"] = [];
  let at = 9;
  for (let i = 0; i < count; i++) {
    const id = payload.readUInt32LE(at);
    const length = payload.readUInt32LE(at + 4);
    if (at + 8 + length > payload.length) throw new Error("key table cut short");
    const key = JSON.parse(payload.toString("utf8", at + 8, at + 8 + length)) as unknown;
    if (typeof key !== "string") throw new Error("key table entry is not a string");
    keys.push({ id, key });
    at += 8 + length;
  }
  return { rowsBefore, keys };
}

/** Every key id a binary row (its bytes after the kind byte, entry count first) refers to. */
export function rowKeyIds(row: Buffer, start = 0): number[] {
  const count = row.readUInt32LE(start);
  const ids: number[] = [];
  let at = start + 4;
  for (let i = 0; i < count; i++) {
    ids.push(row.readUInt32LE(at));
    at += row[at + 4] === TAG_NUMBER ? 13 : 9 + row.readUInt32LE(at + 5);
  }
  return ids;
}

/** The body of a key definition after its kind byte and id: the key JSON-encoded, then `:`. */
export function keyDefinitionText(key: string): string {
  return JSON.stringify(key) + ":";
}

/** One key table entry: `u32 id | u32 n | n bytes: the key JSON-encoded`. */
export function encodeKeyTableEntry(id: number, key: string): Buffer {
  const json = Buffer.from(JSON.stringify(key), "utf8");
  const entry = Buffer.alloc(8 + json.length);
  entry.writeUInt32LE(id, 0);
  entry.writeUInt32LE(json.length, 4);
  json.copy(entry, 8);
  return entry;
}

/** `0x03 | u32 rowsBefore | u32 count | entries` (entries from encodeKeyTableEntry, in id order). */
export function encodeKeyTable(rowsBefore: number, entries: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(9);
  head[0] = PAYLOAD_KEY_TABLE;
  head.writeUInt32LE(rowsBefore >>> 0, 1);
  head.writeUInt32LE(entries.length, 5);
  return Buffer.concat([head, ...entries]);
}
