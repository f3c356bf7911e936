/**
 * The producer's key state for binary rows (log-format.ts): key → id, every key's key-table
 * entry, the history rows appended so far, and when the next key table is due (after
 * KEY_TABLE_EVERY_BYTES of frames, or 16 tables' worth when that is more, so a run with 10,000
 * keys does not spend a third of its log on tables).
 */
import { KEY_TABLE_EVERY_BYTES } from "./log-format.js";
import { encodeKeyTable, encodeKeyTableEntry } from "./key-payloads.js";

export class KeyCheckpoints {
  /** Key → id; ids are given out in order and never reused. Read on log()'s hot path. */
  readonly ids = new Map<string, number>();
  /** History rows appended so far: each key table says how many precede it. */
  rowsAppended = 0;
  private readonly entries: Buffer[] = [];
  private entryBytes = 0;
  /** The producer's committed byte count when the last table was appended, and how many may pass before the next. */
  private tableMark = 0;
  private dueBytes = KEY_TABLE_EVERY_BYTES;

  /** Gives `key` the next id and adds it to the key tables to come. */
  define(key: string): number {
    const id = this.ids.size;
    this.ids.set(key, id);
    const entry = encodeKeyTableEntry(id, key);
    this.entries.push(entry);
    this.entryBytes += entry.length;
    return id;
  }

  /** Whether a table is due, `committedBytes` being the bytes the ring has taken so far. */
  due(committedBytes: number): boolean {
    return committedBytes - this.tableMark >= this.dueBytes;
  }

  /** Whether frames were appended since the last table. */
  framesSinceTable(committedBytes: number): boolean {
    return committedBytes > this.tableMark;
  }

  /** Size of the next table's payload. */
  get tableBytes(): number {
    return 9 + this.entryBytes;
  }

  /** The table payload (PAYLOAD_KEY_TABLE) for now: every key so far and the rows before it. */
  table(): Buffer {
    return encodeKeyTable(this.rowsAppended, this.entries);
  }

  /** Call once the table is in the ring, with the committed byte count after it. */
  tableAppended(committedBytes: number): void {
    this.tableMark = committedBytes;
    this.dueBytes = Math.max(KEY_TABLE_EVERY_BYTES, 16 * this.entryBytes);
  }
}
