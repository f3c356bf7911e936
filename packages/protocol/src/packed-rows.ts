/**
 * Packed history rows: the binary form in which the SDK uploads history and the server stores
 * it, so that neither side formats numbers as text (≈300 ns per float64, the largest single
 * cost of ingestion) nor parses them back. A row keeps the run log's binary row layout, so the
 * uploader copies rows from the log without decoding their values.
 *
 *   packed := u32 keyCount | keyCount × (u32 keyId | u32 n | n bytes UTF-8 key)
 *             u32 rowCount | rowCount × (u32 n | n bytes row)
 *   row    := u32 entryCount | entryCount × (u32 keyId | u8 tag | value)
 *   value  := tag 1: f64 | tag 2: u32 n | n bytes UTF-8 extended JSON
 *
 * Key ids are the writer's own (any u32); each key used by a row is listed once. All integers
 * are little-endian. `readPackedRows` checks the structure (bounds, keys, tags, ids, no key twice
 * in a row) and leaves the JSON values to whoever reads them.
 */
import { InvalidDataError } from "./errors.js";
import { encodeNumber } from "./extended-json.js";
import { keyProblem, LIMITS, MAX_KEY_LENGTH } from "./limits.js";

export const TAG_NUMBER = 1;
export const TAG_JSON = 2;
export const MAX_PACKED_ROWS = LIMITS.batchItems;

/** A validated view over packed rows; rows are read in place. */
export interface PackedRows {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Key by id. */
  readonly keys: ReadonlyMap<number, string>;
  /** Byte offset of each row's entry count, and the end of the row. */
  readonly rowStarts: Uint32Array;
  readonly rowEnds: Uint32Array;
  /** Byte range of the key table (copied as is into stored blocks). */
  readonly keyTableEnd: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** JSON values decode like a JSON body read as UTF-8: a malformed sequence becomes U+FFFD. */
const utf8Lenient = new TextDecoder("utf-8");
const utf8Encoder = new TextEncoder();

/**
 * Checks and indexes packed rows. Throws InvalidDataError naming the first problem. `trusted`
 * (rows this program wrote itself) skips the per-entry key checks but never the bounds checks.
 */
export function readPackedRows(
  bytes: Uint8Array,
  where = "history",
  options: { trusted?: boolean } = {},
): PackedRows {
  const checkEntries = options.trusted !== true;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (message: string): never => {
    throw new InvalidDataError(`${where}: ${message}`);
  };
  let at = 0;
  const u32 = (what: string): number => {
    if (at + 4 > bytes.length) fail(`truncated at byte ${at} (reading ${what})`);
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const keyCount = u32("the key count");
  if (keyCount > 1_000_000) fail(`key count ${keyCount} is too large`);
  const keys = new Map<number, string>();
  for (let k = 0; k < keyCount; k++) {
    const id = u32("a key id");
    const length = u32("a key length");
    if (at + length > bytes.length) fail(`key ${k} runs past the end`);
    let key = "";
    try {
      key = utf8.decode(bytes.subarray(at, at + length));
    } catch {
      fail(`key ${k} is not valid UTF-8`);
    }
    if (key.length === 0 || key.length > MAX_KEY_LENGTH)
      fail(`key ${k} must be 1–${MAX_KEY_LENGTH} characters`);
    if (key.includes("\u0000")) fail(`key ${k} ${keyProblem(key) ?? ""}`);
    if (keys.has(id)) fail(`key id ${id} is defined twice`);
    keys.set(id, key);
    at += length;
  }
  const keyTableEnd = at;
  const rowCount = u32("the row count");
  if (rowCount > MAX_PACKED_ROWS) fail(`${rowCount} rows; at most ${MAX_PACKED_ROWS} per batch`);
  const rowStarts = new Uint32Array(rowCount);
  const rowEnds = new Uint32Array(rowCount);
  const lastRow = checkEntries ? lastRowTable(keys) : null;
  for (let r = 0; r < rowCount; r++) {
    const length = u32("a row length");
    const end = at + length;
    if (end > bytes.length) fail(`row ${r} runs past the end`);
    rowStarts[r] = at;
    rowEnds[r] = end;
    if (length < 4) fail(`row ${r} is shorter than its entry count`);
    const entries = view.getUint32(at, true);
    let p = at + 4;
    for (let e = 0; e < entries; e++) {
      if (p + 5 > end) fail(`row ${r} is truncated`);
      if (lastRow !== null) {
        const id = view.getUint32(p, true);
        const seenIn = lastRow.get(id);
        if (seenIn === UNDEFINED_KEY) fail(`row ${r} uses key id ${id}, which the key table does not define`);
        if (seenIn === r) fail(`row ${r} holds key \`${keys.get(id)}\` twice`);
        lastRow.set(id, r);
      }
      const tag = bytes[p + 4];
      if (tag === TAG_NUMBER) p += 13;
      else if (tag === TAG_JSON) {
        if (p + 9 > end) fail(`row ${r} is truncated`);
        p += 9 + view.getUint32(p + 5, true);
      } else fail(`row ${r} has an unknown value tag ${tag}`);
      if (p > end) fail(`row ${r} is truncated`);
    }
    if (p !== end) fail(`row ${r} has ${end - p} bytes after its last entry`);
    at = end;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} bytes after the last row`);
  return { bytes, view, keys, rowStarts, rowEnds, keyTableEnd };
}

const UNDEFINED_KEY = -2;

/**
 * The last row that used each key id (-1: none yet; UNDEFINED_KEY: not in the key table), to
 * refuse unknown ids and a key twice in a row in one pass. Log key ids are small and dense, so
 * an array serves; ids from 2^31 up (rows packed from objects) take a map.
 */
function lastRowTable(keys: ReadonlyMap<number, string>): {
  get(id: number): number;
  set(id: number, r: number): void;
} {
  let maxId = -1;
  for (const id of keys.keys()) maxId = Math.max(maxId, id);
  if (maxId < 1 << 16) {
    const table = new Int32Array(maxId + 1).fill(UNDEFINED_KEY);
    for (const id of keys.keys()) table[id] = -1;
    return {
      get: (id) => (id <= maxId ? (table[id] as number) : UNDEFINED_KEY),
      set: (id, r) => {
        table[id] = r;
      },
    };
  }
  const table = new Map<number, number>();
  for (const id of keys.keys()) table.set(id, -1);
  return { get: (id) => table.get(id) ?? UNDEFINED_KEY, set: (id, r) => table.set(id, r) };
}

/** Calls `entry` for each value of row `r`: a number, or the extended-JSON text of any other value. */
export function forEachPackedEntry(
  rows: PackedRows,
  r: number,
  entry: (keyId: number, value: number | null, json: string | null) => void,
): void {
  const { view, bytes } = rows;
  let p = rows.rowStarts[r] as number;
  const count = view.getUint32(p, true);
  p += 4;
  for (let e = 0; e < count; e++) {
    const id = view.getUint32(p, true);
    if (bytes[p + 4] === TAG_NUMBER) {
      entry(id, view.getFloat64(p + 5, true), null);
      p += 13;
    } else {
      const length = view.getUint32(p + 5, true);
      entry(id, null, utf8Lenient.decode(bytes.subarray(p + 9, p + 9 + length)));
      p += 9 + length;
    }
  }
}

/** `"key":` for each key id, the prefixes a formatted row is built from. */
export function keyPrefixes(rows: PackedRows): Map<number, string> {
  const prefixes = new Map<number, string>();
  for (const [id, key] of rows.keys) prefixes.set(id, `${JSON.stringify(key)}:`);
  return prefixes;
}

/** Row `r` as extended-JSON text, keys in the order they were logged. */
export function formatPackedRow(rows: PackedRows, r: number, prefixes: ReadonlyMap<number, string>): string {
  let text = "{";
  let first = true;
  forEachPackedEntry(rows, r, (id, value, json) => {
    text += (first ? "" : ",") + (prefixes.get(id) as string) + (json ?? encodeNumber(value as number));
    first = false;
  });
  return text + "}";
}

/**
 * Builds packed rows. Rows copied from the run log (`addRaw`) keep the log's key ids; rows given
 * as objects (`addObject`, for rows too large for the log's binary form) get ids from 2^31 up,
 * which the log never uses.
 */
export class PackedRowsBuilder {
  private readonly keyBytes = new Map<number, Uint8Array>();
  private readonly rows: Uint8Array[] = [];
  private readonly objectKeyIds = new Map<string, number>();
  private size = 8;

  get rowCount(): number {
    return this.rows.length;
  }

  get byteLength(): number {
    return this.size;
  }

  /** A row in the log's layout (entry count first); `keys` maps its key ids to keys. */
  addRaw(row: Uint8Array, keyOf: (id: number) => string): void {
    const view = new DataView(row.buffer, row.byteOffset, row.byteLength);
    const count = view.getUint32(0, true);
    let p = 4;
    for (let e = 0; e < count; e++) {
      const id = view.getUint32(p, true);
      if (!this.keyBytes.has(id)) this.defineKey(id, keyOf(id));
      p += row[p + 4] === TAG_NUMBER ? 13 : 9 + view.getUint32(p + 5, true);
    }
    this.rows.push(row);
    this.size += 4 + row.length;
  }

  /** A row given as an object: numbers as float64s, every other value as extended JSON text. */
  addObject(row: Record<string, unknown>, stringify: (value: unknown) => string): void {
    const parts: Array<{ id: number; number: number | null; json: Uint8Array | null }> = [];
    let length = 4;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      let id = this.objectKeyIds.get(key);
      if (id === undefined) {
        id = 0x80000000 + this.objectKeyIds.size;
        this.objectKeyIds.set(key, id);
        this.defineKey(id, key);
      }
      if (typeof value === "number") {
        parts.push({ id, number: value, json: null });
        length += 13;
      } else {
        const json = utf8Encoder.encode(stringify(value));
        parts.push({ id, number: null, json });
        length += 9 + json.length;
      }
    }
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    view.setUint32(0, parts.length, true);
    let p = 4;
    for (const part of parts) {
      view.setUint32(p, part.id, true);
      if (part.json === null) {
        out[p + 4] = TAG_NUMBER;
        view.setFloat64(p + 5, part.number as number, true);
        p += 13;
      } else {
        out[p + 4] = TAG_JSON;
        view.setUint32(p + 5, part.json.length, true);
        out.set(part.json, p + 9);
        p += 9 + part.json.length;
      }
    }
    this.rows.push(out);
    this.size += 4 + length;
  }

  /** The packed bytes of every row added so far. */
  build(): Uint8Array {
    const out = new Uint8Array(this.size);
    const view = new DataView(out.buffer);
    let p = 0;
    view.setUint32(p, this.keyBytes.size, true);
    p += 4;
    for (const [id, key] of this.keyBytes) {
      view.setUint32(p, id, true);
      view.setUint32(p + 4, key.length, true);
      out.set(key, p + 8);
      p += 8 + key.length;
    }
    view.setUint32(p, this.rows.length, true);
    p += 4;
    for (const row of this.rows) {
      view.setUint32(p, row.length, true);
      out.set(row, p + 4);
      p += 4 + row.length;
    }
    return out;
  }

  private defineKey(id: number, key: string): void {
    const bytes = utf8Encoder.encode(key);
    this.keyBytes.set(id, bytes);
    this.size += 8 + bytes.length;
  }
}
