/**
 * `run.linkArtifact(artifact, targetPath, { aliases })` and `run.linkModel(path, name, …)`
 * (W&B's `link_artifact` / `link_model`): link a logged version into a registry collection
 * without copying it. `targetPath` is `[entity/]<registry>-registry/<collection>`
 * (`model-registry/classifier`); the entity defaults to the run's. The artifact is logged first
 * when it was not, and the link waits for its version to be committed. The audit log records the
 * run as who linked it.
 */
import {
  artifactNameProblem,
  registryLinkResponseSchema,
  registryOfPathSegment,
  registryPaths,
  UsageError,
  type RunMode,
  type RunRef,
} from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";
import type { Artifact } from "./artifact.js";

export interface LinkHost {
  mode: RunMode;
  ref: RunRef;
  connection: ApiConnection | null;
  logArtifact(artifact: Artifact): Promise<Artifact>;
  logModel(path: string, options?: { name?: string }): Promise<Artifact>;
}

/** The LinkHost of a run, from its parts and its own logArtifact / logModel. */
export function linkHostOf(
  parts: {
    mode: RunMode;
    entity: string;
    project: string;
    id: string;
    baseUrl: string;
    apiKey?: string | null;
  },
  run: Pick<LinkHost, "logArtifact" | "logModel">,
): LinkHost {
  return {
    mode: parts.mode,
    ref: { entity: parts.entity, project: parts.project, runId: parts.id },
    connection: parts.mode === "online" ? { baseUrl: parts.baseUrl, apiKey: parts.apiKey ?? null } : null,
    logArtifact: (artifact) => run.logArtifact(artifact),
    logModel: (path, options) => run.logModel(path, options),
  };
}

export interface RegistryTarget {
  entity: string;
  registry: string;
  collection: string;
}

/** The registry collection `targetPath` names, or UsageError saying how to write it. */
export function parseLinkTarget(targetPath: string, defaultEntity: string, call: string): RegistryTarget {
  const parts = typeof targetPath === "string" ? targetPath.split("/") : [];
  const how = `write it as "[entity/]<registry>-registry/<collection>", e.g. "model-registry/classifier"`;
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
    throw new UsageError(`${call}: target path '${String(targetPath)}' is not a registry collection; ${how}`);
  const collection = parts[parts.length - 1] ?? "";
  const registry = registryOfPathSegment(parts[parts.length - 2] ?? "");
  if (registry === null)
    throw new UsageError(
      `${call}: '${targetPath}' names no registry (its project part must end in '-registry'); ${how}`,
    );
  const problem = artifactNameProblem(collection, "name");
  if (problem !== null) throw new UsageError(`${call}: collection '${collection}': ${problem}`);
  return { entity: parts.length === 3 ? (parts[0] ?? defaultEntity) : defaultEntity, registry, collection };
}

function checkedAliases(aliases: unknown, call: string): string[] {
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases)) throw new UsageError(`${call}: aliases must be an array of strings`);
  for (const alias of aliases) {
    const problem = typeof alias === "string" ? artifactNameProblem(alias, "alias") : "not a string";
    if (problem !== null) throw new UsageError(`${call}: alias '${String(alias)}': ${problem}`);
  }
  return aliases as string[];
}

export async function linkArtifact(
  host: LinkHost,
  artifact: Artifact,
  targetPath: string,
  options: { aliases?: string[] } = {},
  call = "run.linkArtifact",
): Promise<void> {
  const target = parseLinkTarget(targetPath, host.ref.entity, call);
  const aliases = checkedAliases(options.aliases, call);
  if (host.mode === "disabled") return;
  if (host.connection === null)
    throw new UsageError(
      `${call}: an offline run cannot link into a registry; link it from an online run once synced`,
    );
  if (artifact.digest === null) await host.logArtifact(artifact);
  await artifact.wait();
  const [head, version] = artifact.qualifiedName.split(":");
  const [entity, project, name] = (head ?? "").split("/");
  if (entity === undefined || project === undefined || name === undefined || version === undefined)
    throw new UsageError(`${call}: ${artifact.qualifiedName} has no committed version to link`);
  await new ApiHttp(host.connection).json(
    "POST",
    registryPaths.links(target.entity, target.registry, target.collection),
    registryLinkResponseSchema,
    { body: { artifact: { entity, project, name, alias: version }, aliases, run: host.ref } },
  );
}

/** Logs `path` as a `model` artifact and links it into `model-registry/<registeredModelName>`. */
export async function linkModel(
  host: LinkHost,
  path: string,
  registeredModelName: string,
  options: { name?: string; aliases?: string[] } = {},
): Promise<void> {
  const target = `model-registry/${registeredModelName}`;
  parseLinkTarget(target, host.ref.entity, "run.linkModel");
  checkedAliases(options.aliases, "run.linkModel");
  if (host.mode === "disabled") return;
  const artifact = await host.logModel(path, options.name === undefined ? {} : { name: options.name });
  await linkArtifact(host, artifact, target, options, "run.linkModel");
}
