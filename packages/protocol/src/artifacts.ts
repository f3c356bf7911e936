/**
 * Artifacts' shared rules: what a name, a type, an alias and an artifact path may be, the
 * manifest of a version, and the one canonical text both sides hash into a version's digest.
 * The SDK checks names at the call and computes the digest before it uploads anything; the
 * server checks the same rules and recomputes the digest from the manifest it receives, so a
 * version's digest never depends on which side made it.
 *
 * A version is committed in two steps, so that nothing half-committed is ever visible:
 * 1. every stored entry's content is uploaded, content-addressed (by sha256, deduplicated
 *    against everything the server holds: run files and other artifacts alike);
 * 2. the manifest is committed in one request. The server refuses it while any entry's content
 *    is missing, and answers the collection's latest version unchanged when the digest equals
 *    that version's (re-logging unchanged content creates nothing).
 */
import { z } from "zod";
import { filePathSchema, SHA256_HEX, sha256Schema } from "./files.js";
import { LIMITS, runTextSchema } from "./limits.js";
import { compareCodePoints } from "./code-point-order.js";

/** Characters of artifact names, types and aliases: letters, digits, `_`, `-`, `.`. */
const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
/** A version's own name: `v0`, `v1`, … */
export const VERSION_NAME = /^v(0|[1-9][0-9]*)$/;
/** The alias the server moves to each new version; a client may name it, never place it. */
export const LATEST_ALIAS = "latest";

export const ARTIFACT_LIMITS = {
  /** Collection names: 1–128 characters of `NAME_CHARACTERS`. */
  artifactNameLength: 128,
  /** Types (`dataset`, `model`, …): 1–64 characters. */
  artifactTypeLength: 64,
  /** Each alias and tag of a version: 1–128 characters; at most 256 of each. */
  artifactAliasLength: 128,
  artifactAliases: 256,
  /** Description (Markdown). */
  artifactDescriptionLength: 100_000,
  /** Entries of one version's manifest. */
  artifactEntries: 10_000_000,
  /** A reference's URI. */
  artifactReferenceLength: 4096,
} as const;

function nameRule(what: string, max: number) {
  return z
    .string()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .regex(NAME_CHARACTERS, `${what} may hold only letters, digits, '_', '-' and '.' (no '/' or ':')`)
    .refine((s) => s !== "." && s !== "..", `${what} may not be '.' or '..'`);
}

export const artifactNameSchema = nameRule("an artifact name", ARTIFACT_LIMITS.artifactNameLength);
export const artifactTypeSchema = nameRule("an artifact type", ARTIFACT_LIMITS.artifactTypeLength);
export const artifactTagSchema = nameRule("an artifact tag", ARTIFACT_LIMITS.artifactAliasLength);
export const artifactAliasSchema = nameRule("an alias", ARTIFACT_LIMITS.artifactAliasLength).refine(
  (s) => !/^v[0-9]+$/.test(s),
  "an alias may not look like a version name (v0, v1, …): those name versions themselves",
);

/** Why `value` is not a valid `what`, or null when it is (the SDK throws this text at the call). */
export function artifactNameProblem(value: string, what: "name" | "type" | "alias" | "tag"): string | null {
  const schema = {
    name: artifactNameSchema,
    type: artifactTypeSchema,
    alias: artifactAliasSchema,
    tag: artifactTagSchema,
  }[what];
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? `invalid ${what}`);
}

/**
 * `entity/project/name:alias`, `project/name:v3`, `name:production`, `name` (= `name:latest`).
 * Entity and project are null when the path leaves them out (the caller fills in its run's).
 */
export interface ArtifactPath {
  entity: string | null;
  project: string | null;
  name: string;
  /** A version name (`v3`) or an alias (`latest` when the path names none). */
  alias: string;
}

export function parseArtifactPath(path: string): ArtifactPath | { problem: string } {
  const colon = path.lastIndexOf(":");
  const head = colon < 0 ? path : path.slice(0, colon);
  const alias = colon < 0 ? LATEST_ALIAS : path.slice(colon + 1);
  const parts = head.split("/");
  if (parts.length > 3) {
    return { problem: `'${path}' has more than entity/project/name before ':'` };
  }
  const name = parts[parts.length - 1] ?? "";
  const nameProblem = artifactNameProblem(name, "name");
  if (nameProblem !== null) return { problem: `'${path}': ${nameProblem}` };
  if (!VERSION_NAME.test(alias) && alias !== LATEST_ALIAS) {
    const aliasProblem = artifactNameProblem(alias, "alias");
    if (aliasProblem !== null) return { problem: `'${path}': ${aliasProblem}` };
  }
  const project = parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null;
  const entity = parts.length === 3 ? (parts[0] ?? null) : null;
  for (const [what, segment] of [
    ["entity", entity],
    ["project", project],
  ] as const) {
    if (segment !== null && (segment.length === 0 || segment.length > LIMITS.entityNameLength)) {
      return { problem: `'${path}': the ${what} must be 1–${LIMITS.entityNameLength} characters` };
    }
  }
  return { entity, project, name, alias };
}

/** A file whose bytes the server holds, content-addressed. */
const storedEntrySchema = z
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

const referenceEntrySchema = z
  .object({
    path: filePathSchema,
    ref: referenceTextSchema,
    digest: referenceTextSchema,
    size: z.number().int().nonnegative().nullable(),
  })
  .strict();

export const manifestEntrySchema = z.union([storedEntrySchema, referenceEntrySchema]);
export type StoredManifestEntry = z.infer<typeof storedEntrySchema>;
export type ReferenceManifestEntry = z.infer<typeof referenceEntrySchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export function isReferenceEntry(entry: ManifestEntry): entry is ReferenceManifestEntry {
  return "ref" in entry;
}

/** A version's manifest: its entries, each path once. */
export const artifactManifestSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(manifestEntrySchema).max(ARTIFACT_LIMITS.artifactEntries),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    for (const entry of manifest.entries) {
      if (seen.has(entry.path)) {
        ctx.addIssue({ code: "custom", message: `the path '${entry.path}' is in the manifest twice` });
        return;
      }
      seen.add(entry.path);
    }
  });
export type ArtifactManifest = z.infer<typeof artifactManifestSchema>;

/**
 * The canonical text of a manifest, whose sha256 (hex) is the version's digest: a header line,
 * then one line per entry in code-point order of path — `path TAB s TAB sha256 TAB size` for a
 * stored entry, `path TAB r TAB digest TAB size-or-empty TAB uri` for a reference. Paths and
 * URIs hold no control character (the schemas refuse them), so TAB and LF cannot be forged.
 * The digest depends on the content only: not on the order entries were added, not on
 * descriptions, metadata, aliases or the run that logged it.
 */
export function manifestDigestText(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.path, b.path));
  let text = "stepwise-artifact-manifest-v1\n";
  for (const entry of sorted) {
    text += isReferenceEntry(entry)
      ? `${entry.path}\tr\t${entry.digest}\t${entry.size ?? ""}\t${entry.ref}\n`
      : `${entry.path}\ts\t${entry.sha256}\t${entry.size}\n`;
  }
  return text;
}

/** An artifact version's digest is a sha256 in hex, like a blob's. */
export function isArtifactDigest(value: string): boolean {
  return SHA256_HEX.test(value);
}

const producerSchema = z
  .object({ entity: z.string().min(1), project: z.string().min(1), runId: z.string().min(1) })
  .strict();

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

/**
 * `POST {artifactPaths.blobUploads(entity, project)}`: declares content to store by its sha256
 * and size, tied to no run file (an artifact's entries). Answered like a run file's declaration
 * (`FileUploadResponse`, files.ts): `stored` when the server holds that content already (any
 * run's or artifact's; the answer's `file.path` is the sha256), else where to send its parts,
 * resumably, through the same staged uploads as run files.
 */
export const blobUploadRequestSchema = z
  .object({ size: z.number().int().nonnegative(), sha256: sha256Schema })
  .strict();
export type BlobUploadRequest = z.infer<typeof blobUploadRequestSchema>;

const encPart = encodeURIComponent;
/** URL builders of the artifact routes (under the API prefix `/api/v1`). */
export const artifactPaths = {
  blobUploads: (entity: string, project: string): string =>
    `/api/v1/blob-uploads/${encPart(entity)}/${encPart(project)}`,
  collections: (entity: string, project: string): string =>
    `/api/v1/artifacts/${encPart(entity)}/${encPart(project)}`,
  versions: (entity: string, project: string, name: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/versions`,
  version: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/${encPart(alias)}`,
  manifest: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.version(entity, project, name, alias)}/manifest`,
  uses: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.version(entity, project, name, alias)}/uses`,
  /** `POST` an upsert of a distributed artifact (`artifactUpsertRequest`). */
  distributed: (entity: string, project: string, name: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/distributed`,
  /** `POST` the finish of a distributed artifact (`artifactFinishRequest`): its one version. */
  distributedFinish: (entity: string, project: string, name: string): string =>
    `${artifactPaths.distributed(entity, project, name)}/finish`,
  runArtifacts: (entity: string, project: string, runId: string): string =>
    `/api/v1/runs/${encPart(entity)}/${encPart(project)}/${encPart(runId)}/artifacts`,
};

/** A manifest page as `GET …/manifest` answers it: stored entries carry a signed download URL. */
export const manifestPageSchema = z.object({
  version: artifactVersionDtoSchema,
  entries: z.array(z.union([storedEntrySchema.extend({ url: z.string() }).strict(), referenceEntrySchema])),
  next: z.string().nullable(),
});
export type ManifestPage = z.infer<typeof manifestPageSchema>;

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
