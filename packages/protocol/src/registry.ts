/**
 * The registry's wire contract. A registry (`model`, `dataset`, any name) belongs to an entity
 * and holds collections (`mnist-classifier`) whose versions are links to artifact versions of
 * any of the entity's projects: nothing is copied. A registry collection numbers its links
 * `v0, v1, …` itself (never reused), keeps `latest` on the newest link, and has its own aliases
 * (`production`, `staging`), unique within the collection and moved in one step. Every link,
 * unlink and alias change is written to an audit log (who, when, from → to).
 *
 * In artifact paths a registry takes the project's place as `<registry>-registry`:
 * `entity/model-registry/mnist-classifier:production` (as W&B's legacy `model-registry`).
 */
import { z } from "zod";
import { artifactAliasSchema, artifactNameSchema, ARTIFACT_LIMITS } from "./artifact-names.js";
import { artifactVersionDtoSchema } from "./artifact-versions.js";
import { runRefSchema } from "./ingest.js";

/** What a path's project segment ends with when it names a registry (`model-registry`). */
export const REGISTRY_PATH_SUFFIX = "-registry";

/** Registry names follow artifact names' rule (letters, digits, `_`, `-`, `.`; no `/` or `:`). */
export const registryNameSchema = artifactNameSchema;

/** The registry a path's project segment names (`model-registry` → `model`), or null. */
export function registryOfPathSegment(segment: string): string | null {
  if (!segment.endsWith(REGISTRY_PATH_SUFFIX)) return null;
  const name = segment.slice(0, -REGISTRY_PATH_SUFFIX.length);
  return registryNameSchema.safeParse(name).success ? name : null;
}

/** The artifact version a link points at: a version name (`v3`) or an alias of its collection. */
export const linkSourceSchema = z
  .object({
    entity: z.string().min(1),
    project: z.string().min(1),
    name: artifactNameSchema,
    alias: z.string().min(1).max(ARTIFACT_LIMITS.artifactAliasLength),
  })
  .strict();
export type LinkSource = z.infer<typeof linkSourceSchema>;

/** `POST {registryPaths.links(…)}`: link a version, placing `aliases` on the link. */
export const registryLinkRequestSchema = z
  .object({
    artifact: linkSourceSchema,
    aliases: z.array(artifactAliasSchema).max(ARTIFACT_LIMITS.artifactAliases).default([]),
    /** The run that links it (`run.linkArtifact`), recorded in the audit log as who. */
    run: runRefSchema.nullable().default(null),
  })
  .strict();
export type RegistryLinkRequest = z.input<typeof registryLinkRequestSchema>;

/** `PUT …/:alias/aliases`: the link's user aliases, set exactly. */
export const registryAliasesRequestSchema = z
  .object({
    aliases: z.array(artifactAliasSchema).max(ARTIFACT_LIMITS.artifactAliases),
    run: runRefSchema.nullable().default(null),
  })
  .strict();
export type RegistryAliasesRequest = z.input<typeof registryAliasesRequestSchema>;

/** A linked version: the registry's own version name and aliases, and the artifact version. */
export const registryVersionDtoSchema = z.object({
  entity: z.string(),
  registry: z.string(),
  collection: z.string(),
  /** The registry collection's own numbering: `v0`, `v1`, … */
  version: z.string(),
  /** `latest` first on the newest link, then user aliases in code-point order. */
  aliases: z.array(z.string()),
  /** Unix seconds. */
  linkedAt: z.number(),
  linkedBy: z.string(),
  artifact: artifactVersionDtoSchema,
});
export type RegistryVersionDto = z.infer<typeof registryVersionDtoSchema>;

export const registryCollectionDtoSchema = z.object({
  entity: z.string(),
  registry: z.string(),
  name: z.string(),
  /** The artifact type of its links (set by the first link; others are refused). */
  type: z.string(),
  versionCount: z.number().int().nonnegative(),
  latest: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type RegistryCollectionDto = z.infer<typeof registryCollectionDtoSchema>;

export const registrySummaryDtoSchema = z.object({
  entity: z.string(),
  name: z.string(),
  collectionCount: z.number().int().nonnegative(),
  updatedAt: z.number(),
});
export type RegistrySummaryDto = z.infer<typeof registrySummaryDtoSchema>;

/**
 * One audit record. `link`: `to` is the new link's version (`artifact` its source);
 * `unlink`: `from` is the removed version; `alias`: `alias` moved `from` → `to` (null when it
 * was placed for the first time, or removed).
 */
export const registryAuditDtoSchema = z.object({
  id: z.number().int(),
  entity: z.string(),
  registry: z.string(),
  collection: z.string(),
  action: z.enum(["link", "unlink", "alias"]),
  alias: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The linked artifact version, `entity/project/name:vN`. */
  artifact: z.string().nullable(),
  /** `key:<API key id>`, `run:<entity/project/runId>`, or `local` (a loopback request). */
  actor: z.string(),
  at: z.number(),
});
export type RegistryAuditDto = z.infer<typeof registryAuditDtoSchema>;

const encPart = encodeURIComponent;
/** URL builders of the registry routes (under `/api/v1`). */
export const registryPaths = {
  registries: (entity: string): string => `/api/v1/registries/${encPart(entity)}`,
  collections: (entity: string, registry: string): string =>
    `${registryPaths.registries(entity)}/${encPart(registry)}`,
  /** The audit log; query `collection` (one collection's) and `limit`. */
  audit: (entity: string, registry: string): string =>
    `${registryPaths.collections(entity, registry)}/-/audit`,
  versions: (entity: string, registry: string, collection: string): string =>
    `${registryPaths.collections(entity, registry)}/${encPart(collection)}/versions`,
  links: (entity: string, registry: string, collection: string): string =>
    `${registryPaths.collections(entity, registry)}/${encPart(collection)}/links`,
  version: (entity: string, registry: string, collection: string, alias: string): string =>
    `${registryPaths.collections(entity, registry)}/${encPart(collection)}/${encPart(alias)}`,
  aliases: (entity: string, registry: string, collection: string, alias: string): string =>
    `${registryPaths.version(entity, registry, collection, alias)}/aliases`,
  /** Where an artifact version is linked. */
  linksOf: (entity: string, project: string, name: string, alias: string): string =>
    `/api/v1/artifact-links/${encPart(entity)}/${encPart(project)}/${encPart(name)}/${encPart(alias)}`,
  /** The lineage graph around an artifact version; query `depth` (hops of run ↔ artifact, default 3). */
  lineage: (entity: string, project: string, name: string, alias: string): string =>
    `/api/v1/artifact-lineage/${encPart(entity)}/${encPart(project)}/${encPart(name)}/${encPart(alias)}`,
};

/** A node of the lineage graph: an artifact version or a run. */
export const lineageNodeSchema = z.union([
  z.object({
    kind: z.literal("artifact"),
    id: z.string(),
    entity: z.string(),
    project: z.string(),
    name: z.string(),
    type: z.string(),
    version: z.string(),
  }),
  z.object({
    kind: z.literal("run"),
    id: z.string(),
    entity: z.string(),
    project: z.string(),
    runId: z.string(),
  }),
]);
export type LineageNode = z.infer<typeof lineageNodeSchema>;

/** Edges point along the data: run → artifact it produced, artifact → run that used it. */
export const lineageGraphSchema = z.object({
  root: z.string(),
  nodes: z.array(lineageNodeSchema),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  /** True when the walk stopped at `depth` or at the node limit: there may be more beyond. */
  truncated: z.boolean(),
});
export type LineageGraph = z.infer<typeof lineageGraphSchema>;

/** Listing answers of the registry routes. */
export const registryListResponseSchema = z.object({ registries: z.array(registrySummaryDtoSchema) });
export const registryCollectionListResponseSchema = z.object({
  collections: z.array(registryCollectionDtoSchema),
});
export const registryVersionListResponseSchema = z.object({ versions: z.array(registryVersionDtoSchema) });
export const registryAuditListResponseSchema = z.object({ entries: z.array(registryAuditDtoSchema) });
export const artifactLinksResponseSchema = z.object({ links: z.array(registryVersionDtoSchema) });
/** `created`: a new link; `existing`: that version was linked there already (its aliases placed). */
export const registryLinkResponseSchema = z.object({
  status: z.enum(["created", "existing"]),
  version: registryVersionDtoSchema,
});
export type RegistryLinkResponse = z.infer<typeof registryLinkResponseSchema>;

/** `GET {artifactPaths.runArtifacts(…)}`: what a run produced and used. */
export const runLineageResponseSchema = z.object({
  produced: z.array(artifactVersionDtoSchema),
  used: z.array(artifactVersionDtoSchema),
});
export type RunLineageResponse = z.infer<typeof runLineageResponseSchema>;
