/**
 * Tells the server that records were quarantined: a small run file (protocol quarantine-note.ts)
 * that any server storing files keeps, older ones included, and that the run page shows as a
 * warning. Best effort: a failure leaves the note due, and it is sent after the next batch.
 */
import {
  apiPaths,
  QUARANTINE_NOTE_PATH,
  stringifyExtended,
  type QuarantineNote,
  type RunRef,
} from "@stepwise/protocol";
import type { ServerTarget } from "./ingest-client.js";

export async function putQuarantineNote(
  target: ServerTarget,
  ref: RunRef,
  note: QuarantineNote,
  timeoutMs: number,
): Promise<boolean> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey) headers["authorization"] = `Bearer ${target.apiKey}`;
  try {
    const response = await fetch(target.baseUrl + apiPaths.file(ref, QUARANTINE_NOTE_PATH), {
      method: "PUT",
      headers,
      body: stringifyExtended(note),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
