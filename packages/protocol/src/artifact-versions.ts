/**
 * Committing an artifact version and how the server answers it: a whole version
 * (`logArtifact`), the entries of distributed writers and their finish, a version's TTL, the
 * version as the API returns it, and a page of its manifest (artifact-manifest.ts has the
 * manifest's rules and digest).
 */
import { z } from "zod";
import {
  ARTIFACT_LIMITS,
  artifactAliasSchema,
  artifactTagSchema,
  artifactTypeSchema,
  VERSION_NAME,
} from "./artifact-names.js";
import { artifactManifestSchema, manifestEntrySchema } from "./artifact-manifest.js";
import { producerSchema, referenceEntrySchema, storedEntrySchema } from "./artifact-schema-parts.js";
import { sha256Schema } from "./files.js";
import { runTextSchema } from "./limits.js";

/**
 * A version's time to live in seconds from its creation (null: kept until deleted). Past it,
 * retention soft-deletes the version unless it is the newest, holds a user alias, or is linked in
 * a registry. At most 100 years.
 */
export const artifactTtlSchema = z.number().int().positive().max(3_155_760_000).nullable();

/** `PUT …/:alias/ttl`: set (or with null, clear) a logged version's TTL. */
export const artifactTtlRequestSchema = z.object({ ttlS: artifactTtlSchema }).strict();
export type ArtifactTtlRequest = z.infer<typeof artifactTtlRequestSchema>;

const versionFieldsSchema = z.object({
  type: artifactTypeSchema,
  description: runTextSchema(ARTIFACT_LIMITS.artifactDescriptionLength).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  aliases: z.array(artifactAliasSchema).max(ARTIFACT_LIMITS.artifactAliases).default([]),
  tags: z.array(artifactTagSchema).max(ARTIFACT_LIMITS.artifactAliases).default([]),
  /** Absent: no TTL on a new version, an unchanged one's left as it is. */
  ttlS: artifactTtlSchema.optional(),
  /** The run that logged it, recorded as the version's producer in the lineage graph. */
  run: producerSchema.nullable(),
});

/**
 * `POST` a whole version (`logArtifact`). `digest` is the client's sha256 of
 * `manifestDigestText(manifest.entries)`; the server recomputes it and refuses a mismatch.
 */
export const artifactCommitRequestSchema = versionFieldsSchema
  .extend({ manifest: artifactManifestSchema, digest: sha256Schema })
  .strict();
export type ArtifactCommitRequest = z.input<typeof artifactCommitRequestSchema>;

/**
 * Distributed writers (`upsertArtifact` from several processes, then one `finishArtifact`):
 * each upsert adds entries to the pending version of (collection, `distributedId`); the same
 * path added twice must carry the same content. `finish` commits it like a whole version.
 * Until then the pending version is not listed, resolved by an alias or downloadable.
 */
/** The id every writer of one distributed version shares (`upsertArtifact`'s `distributedId`). */
export const artifactDistributedIdSchema = z
  .string()
  .min(1, "a distributedId is empty")
  .max(
    ARTIFACT_LIMITS.artifactNameLength,
    `a distributedId is longer than ${ARTIFACT_LIMITS.artifactNameLength} characters`,
  );

export const artifactUpsertRequestSchema = z
  .object({
    type: artifactTypeSchema,
    distributedId: artifactDistributedIdSchema,
    entries: z.array(manifestEntrySchema).max(ARTIFACT_LIMITS.artifactEntries),
    /** Placed on the version when it is committed, with the finishing call's. */
    aliases: z.array(artifactAliasSchema).max(ARTIFACT_LIMITS.artifactAliases).default([]),
    tags: z.array(artifactTagSchema).max(ARTIFACT_LIMITS.artifactAliases).default([]),
    run: producerSchema.nullable(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    for (const entry of body.entries) {
      if (seen.has(entry.path))
        ctx.addIssue({ code: "custom", message: `the path '${entry.path}' is in the entries twice` });
      seen.add(entry.path);
    }
  });
export type ArtifactUpsertRequest = z.input<typeof artifactUpsertRequestSchema>;

export const artifactFinishRequestSchema = versionFieldsSchema
  .extend({ distributedId: artifactDistributedIdSchema })
  .strict();
export type ArtifactFinishRequest = z.input<typeof artifactFinishRequestSchema>;

/** A committed version as the API answers it. */
export const artifactVersionDtoSchema = z.object({
  entity: z.string(),
  project: z.string(),
  name: z.string(),
  type: z.string(),
  /** `v0`, `v1`, … */
  version: z.string().regex(VERSION_NAME),
  digest: sha256Schema,
  description: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
  /** Entries, and bytes of the stored ones (references count nothing). */
  fileCount: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  /** The run that logged it (a distributed version: the run that finished it), or null. */
  producer: producerSchema.nullable(),
  /**
   * Every run that produced it, each once: `producer` first, then (a distributed version) each
   * run that upserted into it, in the order of their first upsert. Absent from older servers.
   */
  producers: z.array(producerSchema).default([]),
  /** Unix seconds. */
  createdAt: z.number(),
  /** Time to live in seconds from `createdAt`; null: kept until deleted (artifactTtlSchema). */
  ttlS: z.number().nullable().default(null),
});
export type ArtifactVersionDto = z.infer<typeof artifactVersionDtoSchema>;

/** `created`: a new version; `unchanged`: the digest equals the collection's latest, answered as is. */
export const artifactCommitResponseSchema = z.object({
  status: z.enum(["created", "unchanged"]),
  version: artifactVersionDtoSchema,
});
export type ArtifactCommitResponse = z.infer<typeof artifactCommitResponseSchema>;

/**
 * An upsert's answer: `pending` (the entries are held for the version `finish` commits;
 * `fileCount` counts every writer's so far), or `committed` when `finish` already committed
 * them all, unchanged (a re-sent upsert): `version` is that version.
 */
export const artifactUpsertResponseSchema = z.object({
  status: z.enum(["pending", "committed"]),
  distributedId: z.string(),
  fileCount: z.number().int().nonnegative(),
  version: artifactVersionDtoSchema.nullable(),
});
export type ArtifactUpsertResponse = z.infer<typeof artifactUpsertResponseSchema>;

/** A manifest page as `GET …/manifest` answers it: stored entries carry a signed download URL. */
export const manifestPageSchema = z.object({
  version: artifactVersionDtoSchema,
  entries: z.array(z.union([storedEntrySchema.extend({ url: z.string() }).strict(), referenceEntrySchema])),
  next: z.string().nullable(),
});
export type ManifestPage = z.infer<typeof manifestPageSchema>;
