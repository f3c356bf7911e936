/**
 * W&B's artifact mutations over Stepwise's artifact store (artifact-schema.ts lists the flow).
 * `createArtifact` answers the collection's latest version, COMMITTED, when its W&B digest is the
 * one the client computed (the client then uploads nothing: no new version, as on W&B); otherwise
 * the artifact is pending (artifact-pending.ts, kept in the database: each step may reach another
 * server) until `commitArtifact` commits its manifest to the store in one piece, each file the
 * blob its upload became. A file whose MD5 is known as a stored blob gets no upload URL (W&B's
 * clients skip it), so content shared with earlier versions, run files or Stepwise's own
 * artifacts is neither sent nor stored twice.
 */
import { createHash } from "node:crypto";
import {
  artifactAliasSchema,
  artifactNameSchema,
  artifactTypeSchema,
  manifestDigestText,
  manifestEntrySchema,
  ContentMissingError,
  filePathSchema,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { assertEntityAccess, assertRunAccess } from "../auth/principal.js";
import { artifactUploadUrl } from "./artifact-urls.js";
import { decodeId } from "./artifact-ids.js";
import type { PendingArtifact } from "./artifact-pending.js";
import { pendingView, WandbArtifact } from "./artifact-view.js";
import { checkedRef, entityOr } from "./run-identity.js";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

/** At most this many bytes of a latest version are read to compute MD5s for the unchanged check. */
const UNCHANGED_CHECK_MAX_BYTES = 256 * 1024 * 1024;

export interface CreateArtifactInput {
  artifactTypeName: string;
  artifactCollectionName?: string | null;
  artifactCollectionNames?: readonly string[] | null;
  entityName: string;
  projectName: string;
  runName?: string | null;
  description?: string | null;
  digest: string;
  aliases?: ReadonlyArray<{ alias: string }> | null;
  metadata?: string | null;
}

function checked<T>(
  schema: { safeParse: (v: unknown) => { success: boolean; data?: T } },
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success || parsed.data === undefined)
    throw new WandbInputError(
      `${what} '${String(value).slice(0, 130)}' is not one Stepwise can store (letters, digits, '_', '-', '.'; at most 128)`,
    );
  return parsed.data;
}

/** The aliases a client asks for, less `latest` and version names (the store places those). */
function userAliases(aliases: CreateArtifactInput["aliases"]): string[] {
  const names = (aliases ?? []).map((a) => a.alias).filter((a) => a !== "latest" && !/^v\d+$/.test(a));
  return [...new Set(names.map((alias) => checked(artifactAliasSchema, alias, "the alias")))];
}

function metadataOf(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text === "") return {};
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export async function createArtifact(input: CreateArtifactInput, ctx: WandbContext) {
  const entity = entityOr(input.entityName, ctx.principal.entity);
  assertEntityAccess(ctx.principal, entity);
  const name = checked(
    artifactNameSchema,
    input.artifactCollectionName ?? input.artifactCollectionNames?.[0],
    "the artifact name",
  );
  const type = checked(artifactTypeSchema, input.artifactTypeName, "the artifact type");
  const project = input.projectName;
  const runName = input.runName ?? null;
  const run: RunRef | null =
    runName === null || runName === "" ? null : checkedRef({ entity, project, runId: runName });
  if (run !== null) assertRunAccess(ctx.principal, run);

  const store = ctx.deps.store.artifacts;
  const latestVersion = await store.resolveVersion({ entity, project, name, alias: "latest" });
  const latest = latestVersion === null ? null : new WandbArtifact(latestVersion, ctx);
  if (latestVersion !== null && latestVersion.type !== type)
    throw new WandbInputError(
      `artifact '${name}' exists in ${entity}/${project} with type '${latestVersion.type}', not '${type}'; log it with that type or another name`,
    );
  const aliases = userAliases(input.aliases);
  // Telling unchanged content here spares the client its uploads; past the bound, it uploads and
  // the store's own check at commit answers the same version (commitVersion's "unchanged").
  const digest = latest === null ? null : await latest.digestWithin(UNCHANGED_CHECK_MAX_BYTES);
  if (latestVersion !== null && latest !== null && digest === input.digest) {
    // Unchanged content: no new version; the aliases asked for go onto the latest one, as on W&B.
    const missing = aliases.filter((alias) => !latestVersion.aliases.includes(alias));
    if (missing.length === 0) return { artifact: latest };
    const kept = latestVersion.aliases.filter((alias) => alias !== "latest");
    const ref = { ...latest.ref };
    const moved = await store.setAliases(ref, [...kept, ...missing], ctx.deps.now());
    return { artifact: new WandbArtifact(moved, ctx) };
  }

  const pending = await ctx.artifacts.create({
    entity,
    project,
    name,
    type,
    digest: input.digest,
    description: input.description ?? "",
    metadata: metadataOf(input.metadata),
    aliases,
    run,
    createdAt: ctx.deps.now(),
  });
  return { artifact: pendingView(pending, latest) };
}

async function pendingOf(ctx: WandbContext, id: string) {
  const pending = await ctx.artifacts.get(id);
  if (pending === null)
    throw new WandbInputError(
      `artifact ${id} is not being logged (unknown, or left uncommitted for a day); log the artifact again`,
    );
  assertEntityAccess(ctx.principal, pending.entity);
  return pending;
}

function manifestObject(ctx: WandbContext, pendingId: string) {
  const url = artifactUploadUrl(ctx.deps.urls, ctx.origin, { pendingId, path: null }, ctx.deps.now());
  return {
    id: `M${pendingId}`,
    file: {
      id: `M${pendingId}`,
      name: "wandb_manifest.json",
      uploadUrl: url,
      uploadHeaders: [],
      directUrl: "",
      sizeBytes: 0,
    },
  };
}

export async function createArtifactManifest(input: { artifactID: string }, ctx: WandbContext) {
  const pending = await pendingOf(ctx, input.artifactID);
  return { artifactManifest: manifestObject(ctx, pending.id) };
}

export async function updateArtifactManifest(input: { artifactManifestID: string }, ctx: WandbContext) {
  const pending = await pendingOf(ctx, input.artifactManifestID.replace(/^M/, ""));
  return { artifactManifest: manifestObject(ctx, pending.id) };
}

export async function createArtifactFiles(
  input: { artifactFiles: ReadonlyArray<{ artifactID: string; name: string; md5: string }> },
  ctx: WandbContext,
) {
  const now = ctx.deps.now();
  const edges = [];
  const pendings = new Map<string, Awaited<ReturnType<typeof pendingOf>>>();
  for (const spec of input.artifactFiles) {
    const pending = pendings.get(spec.artifactID) ?? (await pendingOf(ctx, spec.artifactID));
    pendings.set(spec.artifactID, pending);
    let uploadUrl: string | null = artifactUploadUrl(
      ctx.deps.urls,
      ctx.origin,
      { pendingId: pending.id, path: spec.name },
      now,
    );
    const known = filePathSchema.safeParse(spec.name).success
      ? await ctx.artifacts.blobByMd5(spec.md5)
      : undefined;
    const held = known === undefined ? null : await ctx.deps.blobs.head(known);
    if (known !== undefined && held !== null) {
      const file = { sha256: known, size: held.size, md5: spec.md5 };
      if (await ctx.artifacts.addFile(pending.id, spec.name, file)) uploadUrl = null;
    }
    const node = {
      id: spec.name,
      name: spec.name,
      displayName: spec.name,
      storagePath: spec.name,
      uploadUrl,
      uploadHeaders: [],
      uploadMultipartUrls: null,
      artifact: { id: pending.id },
      directUrl: "",
      sizeBytes: 0,
    };
    edges.push({ node, cursor: spec.name });
  }
  return { files: { edges, pageInfo: { endCursor: null, hasNextPage: false }, uploadHeaders: [] } };
}

/** Stepwise manifest entries from the manifest JSON the client uploaded. */
async function entriesOf(pending: PendingArtifact, ctx: WandbContext): Promise<ManifestEntry[]> {
  const manifest = (pending.manifest === null ? null : JSON.parse(pending.manifest)) as {
    contents?: Record<string, Record<string, unknown>>;
  } | null;
  if (manifest === null || typeof manifest.contents !== "object")
    throw new WandbInputError(
      `artifact ${pending.name}: its manifest was not uploaded before commitArtifact`,
    );
  const files = await ctx.artifacts.files(pending.id);
  const entries: ManifestEntry[] = [];
  for (const [path, entry] of Object.entries(manifest.contents))
    entries.push(checkedEntry(pending.name, await entryOf(path, entry)));
  return entries;

  async function entryOf(path: string, entry: Record<string, unknown>): Promise<ManifestEntry> {
    const digest = typeof entry["digest"] === "string" ? entry["digest"] : "";
    const size = typeof entry["size"] === "number" ? entry["size"] : null;
    if (typeof entry["ref"] === "string") return { path, ref: entry["ref"], digest, size };
    const uploaded = files.get(path);
    if (uploaded !== undefined && uploaded.md5 === digest)
      return { path, sha256: uploaded.sha256, size: uploaded.size };
    const known = await ctx.artifacts.blobByMd5(digest);
    if (known !== undefined && size !== null) return { path, sha256: known, size };
    throw new WandbInputError(
      `artifact ${pending.name}: the file '${path}' (md5 ${digest}) was never uploaded`,
    );
  }
}

/** An entry as Stepwise's store requires it (a valid path, a reference's URI and digest). */
function checkedEntry(name: string, entry: ManifestEntry): ManifestEntry {
  const parsed = manifestEntrySchema.safeParse(entry);
  if (!parsed.success)
    throw new WandbInputError(
      `artifact ${name}: the entry '${entry.path.slice(0, 120)}' cannot be stored: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  return parsed.data;
}

export async function commitArtifact(input: { artifactID: string }, ctx: WandbContext) {
  const pending = await pendingOf(ctx, input.artifactID);
  if (pending.committed !== null) {
    const version = await ctx.deps.store.artifacts.resolveVersion(pending.committed);
    if (version !== null) return { artifact: new WandbArtifact(version, ctx, pending.id) };
  }
  const entries = await entriesOf(pending, ctx);
  const digest = createHash("sha256").update(manifestDigestText(entries)).digest("hex");
  const stored = entries.flatMap((entry) => ("sha256" in entry ? [entry.sha256] : []));
  await ctx.deps.blobs.prepareLeases?.(stored);
  const result = await ctx.deps.store.artifacts.commitVersion({
    entity: pending.entity,
    project: pending.project,
    name: pending.name,
    type: pending.type,
    entries,
    digest,
    description: pending.description,
    metadata: pending.metadata,
    aliases: pending.aliases,
    tags: [],
    producer: pending.run,
    now: ctx.deps.now(),
    whileLocked: () => {
      const missing = stored.filter((sha256) => !ctx.deps.blobs.touchSync(sha256));
      if (missing.length > 0)
        throw new ContentMissingError(
          missing,
          `artifact ${pending.name}: ${missing.length} uploaded file(s) are gone from the server; log it again`,
        );
    },
  });
  const version = result.version;
  await ctx.artifacts.committed(pending.id, {
    entity: version.entity,
    project: version.project,
    name: version.name,
    alias: version.version,
  });
  return { artifact: new WandbArtifact(version, ctx, pending.id) };
}

/** The version an artifact id names: a committed pending one's, or an `A…` id's. */
export async function artifactById(id: string, ctx: WandbContext): Promise<WandbArtifact | null> {
  const pending = id.startsWith("P") ? await ctx.artifacts.get(id) : null;
  const ref = pending?.committed ?? refOfId(id);
  if (ref === null) return null;
  assertEntityAccess(ctx.principal, ref.entity);
  const version = await ctx.deps.store.artifacts.resolveVersion(ref);
  return version === null ? null : new WandbArtifact(version, ctx, id);
}

function refOfId(id: string) {
  const parts = decodeId(id, "A");
  if (parts === null || parts.length !== 4) return null;
  const [entity = "", project = "", name = "", alias = ""] = parts;
  return { entity, project, name, alias };
}

export async function useArtifact(
  input: { entityName: string; projectName: string; runName: string; artifactID: string },
  ctx: WandbContext,
) {
  const artifact = await artifactById(input.artifactID, ctx);
  if (artifact === null) throw new WandbInputError(`no artifact ${input.artifactID} on this server`);
  const run = checkedRef({
    entity: entityOr(input.entityName, ctx.principal.entity),
    project: input.projectName,
    runId: input.runName,
  });
  assertRunAccess(ctx.principal, run);
  await ctx.deps.store.artifacts.recordUse(run, artifact.ref, ctx.deps.now());
  return { artifact };
}
