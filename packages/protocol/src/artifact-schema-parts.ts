/**
 * Building blocks of the artifact schemas, shared by artifact-manifest.ts and
 * artifact-versions.ts and not exported from the package: a manifest's two kinds of entry and
 * the run that produced a version.
 */
import { z } from "zod";
import { ARTIFACT_LIMITS } from "./artifact-names.js";
import { filePathSchema, sha256Schema } from "./files.js";

/** A file whose bytes the server holds, content-addressed. */
export const storedEntrySchema = z
  .object({
    path: filePathSchema,
    sha256: sha256Schema,
    size: z.number().int().nonnegative(),
  })
  .strict();

/**
 * A reference (`file://`, `http(s)://`, `s3://`, …): recorded, never copied. `digest` is what
 * identifies the referenced content (a checksum, an ETag) or the URI itself when the client
 * was told not to checksum it; `size` is null when unknown.
 */
const referenceTextSchema = z
  .string()
  .min(1)
  .max(ARTIFACT_LIMITS.artifactReferenceLength)
  .refine((s) => !hasControlCharacter(s), "holds a control character");

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export const referenceEntrySchema = z
  .object({
    path: filePathSchema,
    ref: referenceTextSchema,
    digest: referenceTextSchema,
    size: z.number().int().nonnegative().nullable(),
  })
  .strict();

/** The run that logged a version, as a version names it. */
export const producerSchema = z
  .object({ entity: z.string().min(1), project: z.string().min(1), runId: z.string().min(1) })
  .strict();
