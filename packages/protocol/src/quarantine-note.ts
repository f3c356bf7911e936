/**
 * The note an uploader leaves on a run when the server refused some of its records for good
 * (an older or stricter server): a run file at `QUARANTINE_NOTE_PATH`, so that any server that
 * stores files keeps it, and the web UI shows it as a warning on the run page. The records
 * themselves stay in `quarantine.jsonl` in the run directory.
 */
import { z } from "zod";

export const QUARANTINE_NOTE_PATH = "stepwise/quarantine.json";

export const quarantineNoteSchema = z.object({
  /** Records the server refused and the uploader set aside. */
  records: z.number().int().nonnegative(),
  /** The first refusal, as the server worded it (`HTTP 400: …`). */
  firstReason: z.string(),
  /** Where the records are kept on the machine that logged the run. */
  localFile: z.string(),
  /** Unix seconds of the last refusal. */
  updatedAt: z.number(),
});
export type QuarantineNote = z.infer<typeof quarantineNoteSchema>;
