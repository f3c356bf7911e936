/**
 * The artifact record of a run's log (run-records.ts): what `logArtifact`, `upsertArtifact` and
 * `finishArtifact` leave for the SDK's upload worker or `stepwise sync` to commit.
 */
import { z } from "zod";
import { artifactNameSchema, artifactTypeSchema } from "./artifact-names.js";
import { manifestEntrySchema } from "./artifact-manifest.js";
import { sha256Schema } from "./files.js";

/**
 * A logged artifact, kept in the run log so that a crash after `logArtifact` returned loses
 * nothing: the sealed manifest (hashed when logged) and where each stored entry's bytes are on
 * this machine. The SDK's upload worker (or `stepwise sync`) uploads the content the server
 * lacks and commits the version; it never travels in an ingest batch. `id` names the record
 * (the run's artifact-state.json remembers the ones committed).
 */
export const artifactRecordSchema = z.object({
  t: z.literal("artifact"),
  id: z.string().min(1).max(64),
  name: artifactNameSchema,
  type: artifactTypeSchema,
  description: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
  /** `artifact.ttl` when logged; absent in records written before TTLs (and when null). */
  ttlS: z.number().int().positive().optional(),
  entries: z.array(manifestEntrySchema),
  digest: sha256Schema,
  /** sha256 → the local file holding those bytes. */
  sources: z.record(z.string(), z.string()),
  /** Unix seconds. */
  time: z.number(),
  /**
   * Set for `upsertArtifact` (entries added to the pending version of `id`) and
   * `finishArtifact` (its entries added, then that version committed); absent for logArtifact.
   */
  distributed: z.object({ id: z.string().min(1), op: z.enum(["upsert", "finish"]) }).optional(),
});
export type ArtifactRecord = z.infer<typeof artifactRecordSchema>;
