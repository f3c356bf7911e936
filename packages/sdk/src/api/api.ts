/**
 * The public query client, W&B's `wandb.Api()`: read runs, their sampled and exact history,
 * summaries and files from a Stepwise server, and write summary, name, tags and notes back.
 *
 *   const api = new Api();                       // STEPWISE_BASE_URL / credentials / 127.0.0.1:8080
 *   const run = await api.run("me/mnist/abc123");
 *   for await (const r of api.runs("me/mnist", { filters: ["summary.val/acc>0.9"], order: "-summary.val/acc" })) {}
 */
import {
  apiKeyDtoSchema,
  apiKeyListResponseSchema,
  apiPaths,
  artifactCollectionListSchema,
  artifactPaths,
  artifactVersionListSchema,
  createApiKeyResponseSchema,
  entityListResponseSchema,
  projectListResponseSchema,
  runDtoSchema,
  runListResponseSchema,
  viewerResponseSchema,
  RUN_LIST_MAX_LIMIT,
  UsageError,
  type ApiKeyDto,
  type ArtifactCollectionDto,
  type ArtifactVersionDto,
  type CreateApiKeyBody,
  type CreateApiKeyResponse,
  type EntityDto,
  type LineageGraph,
  type ProjectDto,
  type RegistryAuditDto,
  type RegistryCollectionDto,
  type RegistrySummaryDto,
  type RegistryVersionDto,
  type RunLineageResponse,
  type RunListBody,
  type RunRef,
  type ViewerResponse,
} from "@stepwise/protocol";
import { Artifact } from "../artifacts/artifact.js";
import { ArtifactCache, artifactCacheDir } from "../artifacts/artifact-cache.js";
import { cacheMaxBytes } from "../artifacts/artifact-cache-cleanup.js";
import { resolveArtifact, resolvePath } from "../artifacts/artifact-remote.js";
import { ApiRegistry } from "./api-registry.js";
import { resolveApiConnection, type ApiConnectionOptions } from "./api-connection.js";
import { ApiHttp } from "./api-http.js";
import { ApiRun } from "./api-run.js";
import { exportRuns, type ExportRunsOptions, type ExportRunsResult } from "./export/export-runs.js";
import { parseProjectPath, parseRunPath } from "./run-path.js";
import { toRunFilter, parseRunOrder, type RunFilterInput, type RunOrderInput } from "./run-query.js";

export interface ApiOptions extends ApiConnectionOptions {
  /** Time limit per request in milliseconds (until the answer starts). Default 30,000. */
  timeoutMs?: number;
  /** Where STEPWISE_BASE_URL, STEPWISE_API_KEY and STEPWISE_CONFIG_DIR are read. Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface RunsOptions {
  /** ANDed; objects or expressions such as `summary.val/acc>0.9`, `state=finished`, `tags~best`. */
  filters?: readonly RunFilterInput[];
  /** `-summary.loss`, `createdAt`, or an object. Default: newest first (`-createdAt`). */
  order?: RunOrderInput;
  /** Runs fetched per request. Default 100, at most 1000. */
  perPage?: number;
}

export class Api {
  readonly #http: ApiHttp;
  readonly #cacheDir: string;
  /** The cache's cap from `env` (null: malformed there, so this process's or the default). */
  readonly #cacheMaxBytes: number | null;
  readonly #registry: ApiRegistry;

  constructor(options: ApiOptions = {}) {
    const { timeoutMs, env, ...connection } = options;
    this.#http = new ApiHttp(resolveApiConnection(connection, env), timeoutMs);
    this.#cacheDir = artifactCacheDir(env);
    this.#cacheMaxBytes = cacheCapOf(env);
    this.#registry = new ApiRegistry(this.#http);
  }

  /** The server this client talks to (no trailing slash). */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /**
   * An artifact version by `entity/project/name:alias` (`:latest` when no alias is named), with
   * `download({ root })` and `verify({ root })`. Its manifest is kept in the local cache
   * (STEPWISE_CACHE_DIR): with the server unreachable, a version downloaded before is answered
   * from there. NotFoundError when the server has no such version. A registry path
   * (`entity/model-registry/classifier:production`) answers the version its link names now.
   */
  async artifact(path: string): Promise<Artifact> {
    const connection = this.#http.target;
    const at = resolvePath(path, { entity: null, project: null }, "api.artifact");
    const cache = new ArtifactCache(this.#cacheDir, this.#cacheMaxBytes);
    const { version, entries } = await resolveArtifact(connection, at, cache);
    const artifact = new Artifact(version.name, version.type, {
      description: version.description,
      metadata: version.metadata,
    });
    artifact.markLogged(version, entries, connection, cache);
    return artifact;
  }

  /** The entity's registries (`model`, `dataset`, …). api-registry.ts has the registry and lineage reads. */
  registries(entity: string): Promise<RegistrySummaryDto[]> {
    return this.#registry.registries(entity);
  }

  /** A registry's collections (`registry` as `model` or `model-registry`). */
  registryCollections(entity: string, registry: string): Promise<RegistryCollectionDto[]> {
    return this.#registry.collections(entity, registry);
  }

  /** The versions linked into `entity/registry/collection`, newest first, with the registry's aliases. */
  registryVersions(path: string): Promise<RegistryVersionDto[]> {
    return this.#registry.versions(path);
  }

  /** The audit log of `entity/registry` or `entity/registry/collection`: links, unlinks, alias moves, newest first. */
  registryAudit(path: string, options?: { limit?: number }): Promise<RegistryAuditDto[]> {
    return this.#registry.audit(path, options);
  }

  /** A project's (`entity/project`) artifact collections, of one `type` when given, with their newest version. */
  async artifactCollections(project: string, type?: string): Promise<ArtifactCollectionDto[]> {
    const { entity, project: name } = parseProjectPath(project);
    const query = type === undefined ? {} : { type };
    const path = artifactPaths.collections(entity, name);
    return (await this.#http.json("GET", path, artifactCollectionListSchema, { query })).collections;
  }

  /**
   * A collection's (`entity/project/name`) versions, newest first: digest, size, aliases, tags,
   * producing run. `api.artifact("entity/project/name:vN")` gives one to download.
   */
  async artifactVersions(name: string): Promise<ArtifactVersionDto[]> {
    const parts = name.split("/");
    if (parts.length !== 3 || parts.some((part) => part === "" || part.includes(":")))
      throw new UsageError(
        `api.artifactVersions(${JSON.stringify(name)}): give entity/project/name (a collection, no :alias)`,
      );
    const [entity = "", project = "", collection = ""] = parts;
    const path = artifactPaths.versions(entity, project, collection);
    return (await this.#http.json("GET", path, artifactVersionListSchema)).versions;
  }

  /** Where an artifact version (`entity/project/name:alias`) is linked. */
  artifactLinks(path: string): Promise<RegistryVersionDto[]> {
    return this.#registry.linksOf(path);
  }

  /** The lineage graph around an artifact version: runs and versions, `depth` hops (default 3). */
  artifactLineage(path: string, options?: { depth?: number }): Promise<LineageGraph> {
    return this.#registry.lineage(path, options);
  }

  /**
   * Which runs produced an artifact version and which used it: `producedBy` the run that logged
   * (or finished) it, `producers` every run that produced it (a distributed version's writers too).
   */
  artifactRuns(path: string): Promise<{ producedBy: RunRef | null; producers: RunRef[]; usedBy: RunRef[] }> {
    return this.#registry.runsOf(path);
  }

  /** What a run (`entity/project/runId`) produced and used. */
  runArtifacts(path: string): Promise<RunLineageResponse> {
    return this.#registry.runArtifacts(path);
  }

  /** One run by `entity/project/runId`; NotFoundError if the server has no such run. */
  async run(path: string): Promise<ApiRun> {
    const dto = await this.#http.json("GET", apiPaths.run(parseRunPath(path)), runDtoSchema);
    return new ApiRun(this.#http, dto);
  }

  /** The runs of `entity/project` that pass every filter, in order, fetched page by page as you iterate. */
  async *runs(path: string, options: RunsOptions = {}): AsyncGenerator<ApiRun> {
    const { entity, project } = parseProjectPath(path);
    const perPage = options.perPage ?? 100;
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > RUN_LIST_MAX_LIMIT)
      throw new UsageError(`perPage must be an integer from 1 to ${RUN_LIST_MAX_LIMIT} (got ${perPage})`);
    const body: RunListBody = { limit: perPage };
    if (options.filters && options.filters.length > 0) body.filters = options.filters.map(toRunFilter);
    if (options.order !== undefined) body.order = parseRunOrder(options.order);
    for (;;) {
      const page = await this.#http.json("POST", apiPaths.runs(entity, project), runListResponseSchema, {
        body,
      });
      for (const dto of page.runs) yield new ApiRun(this.#http, dto);
      if (page.nextCursor === null || page.runs.length === 0) return;
      body.cursor = page.nextCursor;
    }
  }

  /**
   * Every run of `entity/project` that passes the filters, exported to files in `options.out`:
   * one file per run (`<runId>.jsonl|csv|parquet`, the run's whole history as the server
   * renders it), or with `combined` one file with a `_run` column. A few runs at a time;
   * resumable (a rerun keeps the complete files of runs that have not changed). See
   * export/export-runs.ts.
   */
  exportRuns(
    path: string,
    options: ExportRunsOptions & Pick<RunsOptions, "filters">,
  ): Promise<ExportRunsResult> {
    const { filters, ...rest } = options;
    const { project } = parseProjectPath(path);
    // Oldest first: a combined file reads in the order the runs were made.
    const runs = this.runs(path, { ...(filters ? { filters } : {}), order: "createdAt", perPage: 1000 });
    return exportRuns(runs, project, rest);
  }

  /** How many runs of `entity/project` pass the filters, without fetching them. */
  async countRuns(path: string, filters: readonly RunFilterInput[] = []): Promise<number> {
    const { entity, project } = parseProjectPath(path);
    const body: RunListBody = {
      limit: 1,
      ...(filters.length > 0 ? { filters: filters.map(toRunFilter) } : {}),
    };
    const page = await this.#http.json("POST", apiPaths.runs(entity, project), runListResponseSchema, {
      body,
    });
    return page.total;
  }

  /** Who the server takes this client to be (the API key's name and entity). */
  viewer(): Promise<ViewerResponse> {
    return this.#http.json("GET", apiPaths.viewer(), viewerResponseSchema);
  }

  async entities(): Promise<EntityDto[]> {
    return (await this.#http.json("GET", apiPaths.entities(), entityListResponseSchema)).entities;
  }

  async projects(entity: string): Promise<ProjectDto[]> {
    return (await this.#http.json("GET", apiPaths.projects(entity), projectListResponseSchema)).projects;
  }

  /** Every API key of the server, oldest first, without secrets (admin only: AuthError FORBIDDEN otherwise). */
  async apiKeys(): Promise<ApiKeyDto[]> {
    return (await this.#http.json("GET", apiPaths.keys(), apiKeyListResponseSchema)).keys;
  }

  /**
   * Creates an API key for `entity` (admin only); `admin` defaults to false. The answer holds the
   * key itself, which the server never shows again: it stores only a hash.
   */
  createApiKey(options: CreateApiKeyBody): Promise<CreateApiKeyResponse> {
    return this.#http.json("POST", apiPaths.keys(), createApiKeyResponseSchema, { body: options });
  }

  /**
   * Revokes the key with this id (as `apiKeys()` lists it; admin only): from the next request on,
   * the server refuses it. Resolves to the key that was revoked; NotFoundError for an unknown id,
   * UsageError for the server's last admin key.
   */
  async revokeApiKey(id: string): Promise<ApiKeyDto> {
    if (typeof id !== "string" || id === "")
      throw new UsageError("revokeApiKey(id) needs a key id as apiKeys() lists it");
    return this.#http.json("DELETE", apiPaths.key(id), apiKeyDtoSchema);
  }
}

function cacheCapOf(env: Record<string, string | undefined> | undefined): number | null {
  try {
    return cacheMaxBytes(env ?? process.env);
  } catch {
    return null;
  }
}
