/**
 * The key ids of a run log's binary rows (log-format.ts). Ids are given out once and never
 * reused, so a definition found anywhere in the log is right for every row: when a row refers
 * to an id whose definition frame was damaged, `recover` reads on from that row for a later key
 * definition or key table. An id that no intact frame after it defines is remembered as
 * unknowable, so a run of such rows costs one search, not one per row.
 */
import { FrameScanner } from "./frame-scanner.js";
import { readKeyDefinition, readKeyTable } from "./key-payloads.js";
import { PAYLOAD_KEY, PAYLOAD_KEY_TABLE } from "./log-format.js";

export class KeyTable {
  readonly keys: string[] = [];
  private readonly unknowable = new Set<number>();

  constructor(
    private readonly fd: number,
    private readonly chunkBytes: number,
  ) {}

  /** Takes in a key definition or key table payload; returns a table's row count, else null. Throws on malformed bytes. */
  define(payload: Buffer): number | null {
    if (payload[0] === PAYLOAD_KEY) {
      const { id, key } = readKeyDefinition(payload);
      this.keys[id] ??= key;
      return null;
    }
    const table = readKeyTable(payload);
    for (const { id, key } of table.keys) this.keys[id] ??= key;
    return table.rowsBefore;
  }

  /** The ids among `ids` with no known key. */
  missing(ids: readonly number[]): number[] {
    return ids.filter((id) => this.keys[id] === undefined);
  }

  /** Looks for the keys of `ids` in the frames from `from` on; true when all are found. */
  recover(ids: readonly number[], from: number): boolean {
    if (ids.some((id) => this.unknowable.has(id))) return false;
    for (const item of new FrameScanner(this.fd, from, this.chunkBytes).items()) {
      if (item.kind !== "frame") continue;
      const kind = item.payload[0];
      if (kind !== PAYLOAD_KEY && kind !== PAYLOAD_KEY_TABLE) continue;
      try {
        this.define(item.payload);
      } catch {
        continue; // an intact frame with a malformed body: the next table may do
      }
      if (this.missing(ids).length === 0) return true;
    }
    for (const id of this.missing(ids)) this.unknowable.add(id);
    return false;
  }
}
