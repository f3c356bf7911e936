/**
 * The warning a run page shows when the uploader set records aside because the server refused
 * them (protocol quarantine-note.ts): read from the run's note file, worded for the user.
 */
import { QUARANTINE_NOTE_PATH, quarantineNoteSchema, type FileDto } from "@stepwise/protocol";

/** Whether the run's file list holds a quarantine note worth fetching. */
export function hasQuarantineNote(files: readonly FileDto[]): boolean {
  return files.some((file) => file.path === QUARANTINE_NOTE_PATH);
}

/** The warning text for a note's body, or null when it is not a note (or reports nothing). */
export function quarantineWarning(body: unknown): string | null {
  const parsed = quarantineNoteSchema.safeParse(body);
  if (!parsed.success || parsed.data.records === 0) return null;
  const { records, firstReason, localFile } = parsed.data;
  const what = records === 1 ? "1 record was" : `${records} records were`;
  const reason = firstReason.length > 300 ? `${firstReason.slice(0, 299)}…` : firstReason;
  return `${what} refused by this server and not uploaded (first reason: ${reason}). The rest of the run is here; the refused records are kept on the machine that logged the run, in ${localFile}.`;
}
