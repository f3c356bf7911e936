/**
 * Decodes one run-log frame payload (see runlog/log-format.ts) for the uploader's tail reader:
 * key definitions (one, or a key table), a binary history row, or an extended-JSON record. Kept
 * apart from RunLogReader because the tail reader follows a growing file frame by frame and
 * keeps its key table across reads, while RunLogReader reads a fixed snapshot of the file.
 */
import type { RunRecord } from "@stepwise/protocol";
import { decodeBinaryRow } from "../runlog/binary-row.js";
import { decodeJsonRecord } from "../runlog/json-record.js";
import { readKeyDefinition, readKeyTable, rowKeyIds } from "../runlog/key-payloads.js";
import { PAYLOAD_KEY, PAYLOAD_KEY_TABLE, PAYLOAD_ROW } from "../runlog/log-format.js";

export type DecodedPayload =
  | { kind: "keys"; keys: Array<{ id: number; key: string }> }
  | { kind: "record"; record: RunRecord; packed?: Uint8Array }
  /** A binary row whose key ids no frame read so far defines (its definition was damaged). */
  | { kind: "unknown-keys"; ids: number[] }
  | { kind: "bad"; message: string };

/**
 * `keys` maps key ids (from earlier key frames) to keys; binary rows refer to keys by id. A
 * binary row decodes to its object (the uploader replays the summary from it) and keeps its
 * bytes, which are uploaded as they are (packed rows share the log's row layout).
 */
export function decodePayload(payload: Buffer, keys: readonly string[]): DecodedPayload {
  const kind = payload[0];
  try {
    if (kind === PAYLOAD_KEY) return { kind: "keys", keys: [readKeyDefinition(payload)] };
    if (kind === PAYLOAD_KEY_TABLE) return { kind: "keys", keys: readKeyTable(payload).keys };
    if (kind === PAYLOAD_ROW) return decodeRow(payload, keys);
    return decodeJsonRecord(payload);
  } catch (error) {
    return { kind: "bad", message: `unreadable record: ${(error as Error).message}` };
  }
}

function decodeRow(buffer: Buffer, keys: readonly string[]): DecodedPayload {
  const row = decodeBinaryRow(buffer, 1, keys);
  if (row === null) {
    const unknown = rowKeyIds(buffer, 1).filter((id) => keys[id] === undefined);
    return { kind: "unknown-keys", ids: unknown };
  }
  return { kind: "record", record: { t: "history", row }, packed: buffer.subarray(1) };
}
