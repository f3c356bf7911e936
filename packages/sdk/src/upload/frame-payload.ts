/**
 * Decodes one run-log frame payload (see runlog/log-format.ts) for the uploader's tail reader:
 * a key definition, a binary history row, or an extended-JSON record. Kept apart from
 * RunLogReader because the tail reader follows a growing file frame by frame and keeps its key
 * table across reads, while RunLogReader reads a fixed snapshot of the file from its start.
 */
import { parseExtended, runRecordSchema, type RunRecord } from "@stepwise/protocol";
import { decodeBinaryRow } from "../runlog/binary-row.js";
import { PAYLOAD_KEY, PAYLOAD_ROW } from "../runlog/log-format.js";

export type DecodedPayload =
  | { kind: "key"; id: number; key: string }
  | { kind: "record"; record: RunRecord; packed?: Uint8Array }
  | { kind: "bad"; message: string };

/**
 * `keys` maps key ids (from earlier key frames) to keys; binary rows refer to keys by id. A
 * binary row decodes to its object (the uploader replays the summary from it) and keeps its
 * bytes, which are uploaded as they are (packed rows share the log's row layout).
 */
export function decodePayload(payload: Buffer, keys: readonly string[]): DecodedPayload {
  const kind = payload[0];
  try {
    if (kind === PAYLOAD_KEY) {
      const encoded = payload.toString("utf8", 5);
      const key = JSON.parse(encoded.slice(0, -1)) as string;
      return { kind: "key", id: payload.readUInt32LE(1), key };
    }
    if (kind === PAYLOAD_ROW) return decodeRow(payload, keys);
    const value = parseExtended(payload.toString("utf8"));
    if (isHistoryRecord(value)) return { kind: "record", record: value };
    const parsed = runRecordSchema.safeParse(value);
    if (parsed.success) return { kind: "record", record: parsed.data };
    return { kind: "bad", message: `unknown or invalid record: ${parsed.error.message}` };
  } catch (error) {
    return { kind: "bad", message: `unreadable record: ${(error as Error).message}` };
  }
}

function decodeRow(buffer: Buffer, keys: readonly string[]): DecodedPayload {
  const row = decodeBinaryRow(buffer, 1, keys);
  return { kind: "record", record: { t: "history", row }, packed: buffer.subarray(1) };
}

function isHistoryRecord(value: unknown): value is Extract<RunRecord, { t: "history" }> {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { t?: unknown; row?: unknown };
  return candidate.t === "history" && typeof candidate.row === "object" && candidate.row !== null;
}
