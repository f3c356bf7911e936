/**
 * Records the server refused for good, kept in `<run-dir>/quarantine.jsonl` so that nothing is
 * lost and the rest of the run still uploads. The SDK checks the same limits table as the
 * server, so this happens only when the server is older or stricter than the SDK. One line per
 * record: where it was in the run log, why the server refused it, and the record itself.
 *
 * The uploader leaves quarantined records out of every later batch and numbers the stream items
 * after them as if they were never logged, so a record stays quarantined for the life of the
 * run directory (sending it later would shift every item after it). `stepwise export` of the
 * run directory still reads it from the run log.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseExtended, stringifyExtended, type RunRecord } from "@stepwise/protocol";

export const QUARANTINE_FILE = "quarantine.jsonl";

export interface QuarantineEntry {
  /** File offset of the record's frame in the run log. */
  logOffset: number;
  /** The record's kind (`history`, `config`, `run`, …). */
  kind: RunRecord["t"];
  /** The server's answer: HTTP status and its message. */
  status: number;
  reason: string;
  /** Unix seconds. */
  time: number;
  record: RunRecord;
}

export interface QuarantineSummary {
  /** Records the server refused and the uploader set aside. */
  records: number;
  /** The first refusal's reason (`HTTP 400: …`), null when none. */
  firstReason: string | null;
  /** The file that holds them. */
  file: string;
}

export function quarantineFile(runDir: string): string {
  return join(runDir, QUARANTINE_FILE);
}

/** Appends one refused record (fsync is left to the OS: the run log still holds the record). */
export function appendQuarantine(runDir: string, entry: QuarantineEntry): void {
  appendFileSync(quarantineFile(runDir), stringifyExtended(entry) + "\n");
}

/** The log offsets of every quarantined record (empty when none). */
export function quarantinedOffsets(runDir: string): Set<number> {
  const offsets = new Set<number>();
  for (const entry of readEntries(runDir)) offsets.add(entry.logOffset);
  return offsets;
}

export function readQuarantineSummary(runDir: string): QuarantineSummary {
  const entries = readEntries(runDir);
  const first = entries[0];
  return {
    records: entries.length,
    firstReason: first === undefined ? null : `HTTP ${first.status}: ${first.reason}`,
    file: quarantineFile(runDir),
  };
}

/** Only the fields this module reads; a torn last line (a crash mid-append) is skipped. */
function readEntries(runDir: string): Array<Pick<QuarantineEntry, "logOffset" | "status" | "reason">> {
  const file = quarantineFile(runDir);
  if (!existsSync(file)) return [];
  const out: Array<Pick<QuarantineEntry, "logOffset" | "status" | "reason">> = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "") continue;
    try {
      const parsed = parseExtended(line) as Partial<QuarantineEntry>;
      if (typeof parsed.logOffset === "number")
        out.push({
          logOffset: parsed.logOffset,
          status: typeof parsed.status === "number" ? parsed.status : 0,
          reason: typeof parsed.reason === "string" ? parsed.reason : "refused",
        });
    } catch {
      // a torn line: the record it named is sent again, and refused again if it still is bad
    }
  }
  return out;
}
