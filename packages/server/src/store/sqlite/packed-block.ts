/**
 * A stored packed history block: a slice of a batch's packed rows (protocol packed-rows.ts) that
 * is itself packed rows — the batch's key table, the block's row count, the rows as they came.
 */
import type { PackedRows } from "@stepwise/protocol";

/** Rows [from, to) of a batch's packed rows as a stored block: the batch's key table, the count, the rows. */
export function packedBlock(packed: PackedRows, from: number, to: number): Uint8Array {
  const keyTable = packed.bytes.subarray(0, packed.keyTableEnd);
  const rows = packed.bytes.subarray((packed.rowStarts[from] as number) - 4, packed.rowEnds[to - 1]);
  const out = new Uint8Array(keyTable.length + 4 + rows.length);
  out.set(keyTable, 0);
  new DataView(out.buffer).setUint32(keyTable.length, to - from, true);
  out.set(rows, keyTable.length + 4);
  return out;
}
