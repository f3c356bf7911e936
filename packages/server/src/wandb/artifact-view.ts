/**
 * Stepwise's artifact versions as W&B's `Artifact`, `ArtifactSequence` and
 * `ArtifactCollectionMembership` objects (graphql-js reads properties and calls methods with a
 * field's arguments, so costly fields run only when asked). W&B names a file by its MD5 and a
 * version by the MD5 of its `path:md5` lines; Stepwise keeps SHA-256, so MD5s are computed from
 * the blobs when a client asks (wandb-md5.ts) and remembered.
 */
import {
  compareCodePoints,
  isReferenceEntry,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";
import type { VersionRef } from "../store/artifact-store.js";
import { pageOf, type PageArgs } from "./artifact-page.js";
import type { PendingArtifact } from "./artifact-pending.js";
import { absolute, manifestUrl } from "./artifact-urls.js";
import { allEntries, MANIFEST_PAGE, manifestContents } from "./artifact-entries.js";
import { collectionId, projectInfo, splitName, versionId, type ProjectInfo } from "./artifact-ids.js";
import { wandbManifestDigest } from "./wandb-md5.js";
import type { WandbContext } from "./wandb-context.js";

/** Signed file URLs stay valid this long (seconds): downloads of large artifacts take a while. */
const DOWNLOAD_TTL_S = 6 * 3600;

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

const fileNode = (name: string, url: string, size: number, md5: string | null) => ({
  __typename: "File",
  id: name,
  name,
  displayName: name,
  url,
  directUrl: url,
  sizeBytes: size,
  mimetype: null,
  updatedAt: null,
  md5,
  digest: md5,
  storagePath: name,
});

/** The version `name:alias` names in a project, or null. */
export async function lookupArtifact(
  ctx: WandbContext,
  project: ProjectInfo,
  text: string,
): Promise<WandbArtifact | null> {
  const { name, alias } = splitName(text);
  const ref = { entity: project.entityName, project: project.name, name, alias };
  const version = await ctx.deps.store.artifacts.resolveVersion(ref);
  return version === null ? null : new WandbArtifact(version, ctx);
}

/** A collection of a project, or null. */
export async function lookupCollection(
  ctx: WandbContext,
  project: ProjectInfo,
  name: string,
): Promise<WandbSequence | null> {
  const collections = await ctx.deps.store.artifacts.listCollections(project.entityName, project.name);
  const found = collections.find((c) => c.name === name);
  return found === undefined
    ? null
    : new WandbSequence(project, found.name, found.type, found.createdAt, ctx);
}

export class WandbArtifactType {
  readonly id: string;
  constructor(
    readonly project: ProjectInfo,
    readonly name: string,
    private readonly ctx: WandbContext,
  ) {
    this.id = `${project.entityName}/${project.name}/${name}`;
  }
  artifact(args: { name: string }) {
    return lookupArtifact(this.ctx, this.project, args.name);
  }
  artifactCollection(args: { name: string }) {
    return lookupCollection(this.ctx, this.project, args.name);
  }
  artifactSequence(args: { name: string }) {
    return lookupCollection(this.ctx, this.project, args.name);
  }
  artifactCollections(args: PageArgs) {
    return projectCollections(this.ctx, this.project, this.name, args);
  }
}

/** A project's collections (of one type when given), oldest first. */
export async function projectCollections(
  ctx: WandbContext,
  project: ProjectInfo,
  type: string | null,
  args: PageArgs,
) {
  const collections = await ctx.deps.store.artifacts.listCollections(
    project.entityName,
    project.name,
    ...(type === null ? [] : [type]),
  );
  return pageOf(collections, args, (c) => ({
    node: new WandbSequence(project, c.name, c.type, c.createdAt, ctx),
  }));
}

/** A collection of versions (W&B's sequence). */
export class WandbSequence {
  readonly __typename = "ArtifactSequence";
  readonly id: string;
  readonly description = null;
  readonly digestAlgorithm = "MANIFEST_MD5";
  readonly defaultArtifactType: WandbArtifactType;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly tags = { edges: [] };

  constructor(
    readonly project: ProjectInfo,
    readonly name: string,
    type: string,
    createdAt: number,
    private readonly ctx: WandbContext,
  ) {
    this.id = collectionId(project.entityName, project.name, name);
    this.defaultArtifactType = new WandbArtifactType(project, type, ctx);
    this.createdAt = iso(createdAt);
    this.updatedAt = this.createdAt;
  }

  async artifactMembership(args: { aliasName: string }): Promise<WandbArtifact | null> {
    const ref = {
      entity: this.project.entityName,
      project: this.project.name,
      name: this.name,
      alias: args.aliasName,
    };
    const version = await this.ctx.deps.store.artifacts.resolveVersion(ref);
    return version === null ? null : new WandbArtifact(version, this.ctx);
  }

  latestArtifact(): Promise<WandbArtifact | null> {
    return this.artifactMembership({ aliasName: "latest" });
  }

  /** Every alias of the collection's versions (0.18.7–0.22.3 list collections with them). */
  async aliases(args: PageArgs): Promise<ReturnType<typeof pageOf<string, { node: object }>>> {
    const { entityName, name: project } = this.project;
    const versions = await this.ctx.deps.store.artifacts.listVersions(entityName, project, this.name);
    const aliases = versions.flatMap((version) => version.aliases);
    return pageOf(aliases, args, (alias) => ({
      node: {
        id: `${this.id}:${alias}`,
        alias,
        artifactCollectionName: this.name,
        artifactCollection: this,
      },
    }));
  }

  /** `api.artifacts(type, name)`: the versions, newest first. */
  async artifacts(args: PageArgs) {
    const { entityName, name: project } = this.project;
    const versions = await this.ctx.deps.store.artifacts.listVersions(entityName, project, this.name);
    return pageOf(versions, args, (version) => ({
      version: version.version,
      node: new WandbArtifact(version, this.ctx),
    }));
  }
}

/**
 * A committed version. It also answers as its own collection membership (W&B's
 * `ArtifactCollectionMembership` has the same id, version index, aliases and files).
 */
export class WandbArtifact {
  readonly __typename = "Artifact";
  readonly id: string;
  readonly state = "COMMITTED";
  readonly versionIndex: number;
  readonly description: string;
  readonly metadata: string;
  readonly labels = null;
  readonly size: number;
  readonly fileCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly historyStep = null;
  readonly ttlDurationSeconds = -1;
  readonly ttlIsInherited = true;
  readonly commitHash: string;
  readonly storageLayout = "V2";
  readonly createdBy = null;
  readonly ref: VersionRef;

  constructor(
    readonly version: ArtifactVersionDto,
    private readonly ctx: WandbContext,
    /** The id the client knows this version by (a pending artifact's, once committed). */
    id?: string,
  ) {
    this.ref = {
      entity: version.entity,
      project: version.project,
      name: version.name,
      alias: version.version,
    };
    this.id = id ?? versionId(this.ref);
    this.versionIndex = Number(version.version.slice(1));
    this.description = version.description;
    this.metadata = JSON.stringify(version.metadata);
    this.size = version.size;
    this.fileCount = version.fileCount;
    this.createdAt = iso(version.createdAt);
    this.updatedAt = this.createdAt;
    this.commitHash = version.digest.slice(0, 12);
  }

  /** W&B's digest of the version: hex MD5 over its `path:md5` lines (its files' MD5s computed once). */
  async digest(): Promise<string> {
    return wandbManifestDigest(await this.wandbManifestContents());
  }

  /**
   * The digest, or null when more than `maxUnhashedBytes` of the version's files have no MD5
   * known yet (reading them would hold the client's request for long).
   */
  async digestWithin(maxUnhashedBytes: number): Promise<string | null> {
    let unhashed = 0;
    const stored = (await allEntries(this.ctx, this.ref)).flatMap((entry) =>
      isReferenceEntry(entry) ? [] : [entry],
    );
    const known = await this.ctx.artifacts.md5sOf(stored.map((entry) => entry.sha256));
    for (const entry of stored) if (!known.has(entry.sha256)) unhashed += entry.size;
    return unhashed > maxUnhashedBytes ? null : this.digest();
  }

  private get sequence(): WandbSequence {
    const project = projectInfo(this.version.entity, this.version.project);
    return new WandbSequence(project, this.version.name, this.version.type, this.version.createdAt, this.ctx);
  }
  artifactSequence(): WandbSequence {
    return this.sequence;
  }
  artifactCollection(): WandbSequence {
    return this.sequence;
  }
  artifact(): this {
    return this;
  }
  artifactType(): WandbArtifactType {
    return this.sequence.defaultArtifactType;
  }

  aliases() {
    return this.version.aliases.map((alias) => ({
      id: `${this.id}:${alias}`,
      alias,
      artifactCollectionName: this.version.name,
      artifactCollection: this.sequence,
    }));
  }
  tags() {
    return this.version.tags.map((name) => ({ id: name, name, tagCategoryName: null, attributes: null }));
  }

  currentManifest() {
    const url = manifestUrl(this.ctx.deps.urls, this.ctx.origin, this.ref, this.ctx.deps.now());
    return { id: `M${this.id}`, file: fileNode("wandb_manifest.json", url, 0, null) };
  }

  /** The stored files with their signed download URLs (references have no bytes here). */
  async files(args: { names?: readonly string[] | null; after?: string | null; first?: number | null }) {
    const limit = Math.min(Math.max(args.first ?? 10_000, 1), MANIFEST_PAGE);
    const after = args.after ?? null;
    let page: ManifestEntry[];
    let hasNextPage: boolean;
    if (args.names === null || args.names === undefined) {
      // A download pages through every file: one store read per page, from the cursor on.
      page = (await this.ctx.deps.store.artifacts.readManifest(this.ref, after, limit)) ?? [];
      hasNextPage = page.length === limit;
    } else {
      const names = new Set(args.names);
      const named = (await allEntries(this.ctx, this.ref)).filter(
        (entry) => names.has(entry.path) && (after === null || compareCodePoints(entry.path, after) > 0),
      );
      page = named.slice(0, limit);
      hasNextPage = named.length > limit;
    }
    const expiresAt = Math.floor(this.ctx.deps.now()) + DOWNLOAD_TTL_S;
    const md5s = await this.ctx.artifacts.md5sOf(
      page.flatMap((entry) => (isReferenceEntry(entry) ? [] : [entry.sha256])),
    );
    const edges = page.flatMap((entry) => {
      if (isReferenceEntry(entry)) return [];
      const url = absolute(this.ctx.origin, this.ctx.deps.blobs.downloadUrl(entry.sha256, expiresAt));
      const md5 = md5s.get(entry.sha256) ?? null;
      return [{ node: fileNode(entry.path, url, entry.size, md5), cursor: entry.path }];
    });
    const endCursor = page[page.length - 1]?.path ?? null;
    return { edges, pageInfo: { endCursor, hasNextPage }, uploadHeaders: [] };
  }

  /** The `contents` of W&B's manifest JSON for this version (manifestContents). */
  wandbManifestContents(): Promise<Record<string, Record<string, unknown>>> {
    return manifestContents(this.ctx, this.ref, this.id);
  }
}

/** A pending artifact as createArtifact answers it (state PENDING until committed). */
export function pendingView(pending: PendingArtifact, latest: WandbArtifact | null) {
  return {
    __typename: "Artifact",
    id: pending.id,
    state: "PENDING",
    digest: pending.digest,
    versionIndex: null,
    artifactSequence: {
      __typename: "ArtifactSequence",
      id: collectionId(pending.entity, pending.project, pending.name),
      name: pending.name,
      latestArtifact: latest,
    },
  };
}
