/** Decodes a run-log payload that holds a record as extended JSON (log-format.ts). */
import { parseExtended, runRecordSchema, type HistoryRecord, type RunRecord } from "@stepwise/protocol";

export type JsonRecordResult = { kind: "record"; record: RunRecord } | { kind: "bad"; message: string };

export function decodeJsonRecord(payload: Buffer): JsonRecordResult {
  let value: unknown;
  try {
    value = parseExtended(payload.toString("utf8"));
  } catch (error) {
    return { kind: "bad", message: `not JSON: ${(error as Error).message}` };
  }
  if (isHistoryRecord(value)) return { kind: "record", record: value };
  const parsed = runRecordSchema.safeParse(value);
  if (parsed.success) return { kind: "record", record: parsed.data };
  return { kind: "bad", message: `unknown or invalid record: ${parsed.error.message}` };
}

/** History rows skip schema validation (millions of them); their shape is checked here. */
function isHistoryRecord(value: unknown): value is HistoryRecord {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { t?: unknown; row?: unknown };
  return candidate.t === "history" && typeof candidate.row === "object" && candidate.row !== null;
}
