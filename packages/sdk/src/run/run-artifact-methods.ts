/**
 * The artifact methods of `Run` (W&B's `log_artifact`, `use_artifact`, `log_model`, …), kept
 * out of run.ts as the base class Run extends: each checks that the run is still active, then
 * delegates to the run's RunArtifacts (artifacts/run-artifacts.ts), which owns the behaviour.
 */
import type { Artifact } from "../artifacts/artifact.js";
import type { CodeFileOptions } from "../artifacts/code-files.js";
import { linkArtifact, linkHostOf, linkModel, type LinkHost } from "../artifacts/link-artifact.js";
import {
  RunArtifacts,
  type DistributedArtifactOptions,
  type LogArtifactOptions,
  type UseArtifactOptions,
} from "../artifacts/run-artifacts.js";
import type { RunParts } from "./run-parts.js";

export abstract class RunArtifactMethods {
  protected readonly artifacts: RunArtifacts;
  private readonly linkHost: LinkHost;

  constructor(parts: RunParts) {
    this.artifacts = new RunArtifacts({
      mode: parts.mode,
      ref: { entity: parts.entity, project: parts.project, runId: parts.id },
      group: parts.group,
      dir: parts.dir,
      connection: parts.mode === "online" ? { baseUrl: parts.baseUrl, apiKey: parts.apiKey ?? null } : null,
      append: (record) => parts.writer?.append(record),
      flush: async () => void (await parts.writer?.flush()),
      warnOnce: (cause, message) => parts.terminal.warnOnce(cause, message),
    });
    this.linkHost = linkHostOf(parts, this);
    if (parts.uploader)
      parts.uploader.onArtifact = (id, v, failure, code) => this.artifacts.onCommit(id, v, failure, code);
  }

  /**
   * finish(), once the run log is closed: artifacts the upload worker did not commit reject
   * (`stepwise sync` commits them), and what is not committed is reported through `warn`.
   */
  protected artifactsAtEnd(warn: (message: string) => void): void {
    this.artifacts.settleAtEnd(
      "the run finished before its artifact was committed; `npx stepwise sync` commits it",
    );
    this.artifacts.reportAtEnd(warn);
  }

  /** Throws UsageError, naming `method`, once the run is finished. */
  protected abstract assertActive(method: string): void;

  /**
   * Logs an artifact (or a file or folder by path) as an output of the run: resolves once it is
   * sealed (hashed off the training thread) and recorded in the run log; the upload worker
   * uploads only the content the server lacks and commits it (`artifact.wait()` for the
   * version; unchanged content is the existing version). run-artifacts.ts.
   */
  logArtifact(artifactOrPath: Artifact | string, options?: LogArtifactOptions): Promise<Artifact> {
    this.assertActive("logArtifact");
    return this.artifacts.logArtifact(artifactOrPath, options);
  }

  /**
   * Adds the artifact's files to a version that several runs build together (W&B's
   * `upsert_artifact`): every run upserting with the same `distributedId` (default: the run's
   * group) adds to one pending version of the collection, which nothing lists or downloads until
   * `finishArtifact` commits it. Logged like logArtifact (sealed, recorded in the run log,
   * committed by the upload worker); `artifact.wait()` resolves once the server holds this part.
   * A path another writer added with other content is refused (ARTIFACT_CONFLICT naming it).
   */
  upsertArtifact(artifactOrPath: Artifact | string, options?: DistributedArtifactOptions): Promise<Artifact> {
    this.assertActive("upsertArtifact");
    return this.artifacts.logDistributed("upsert", artifactOrPath, options);
  }

  /**
   * Commits the version the runs upserting with `distributedId` built (W&B's `finish_artifact`),
   * with this artifact's own files added: exactly one version whose manifest is every writer's
   * files (`artifact.wait()` resolves with it, manifest and all). Call it once every writer's
   * upsert is on the server (their `wait()` resolved); finishing again answers the same version.
   * ARTIFACT_CONFLICT (nothing committed) when two writers added one path with different content.
   */
  finishArtifact(artifactOrPath: Artifact | string, options?: DistributedArtifactOptions): Promise<Artifact> {
    this.assertActive("finishArtifact");
    return this.artifacts.logDistributed("finish", artifactOrPath, options);
  }

  /** Records the run as a consumer of an artifact version (`name:alias`, `project/name:v3`, …) and returns it. */
  useArtifact(nameOrArtifact: string | Artifact, options?: UseArtifactOptions): Promise<Artifact> {
    this.assertActive("useArtifact");
    return this.artifacts.useArtifact(nameOrArtifact, options);
  }

  /** A file or folder logged as a `model` artifact (W&B's `log_model`). */
  logModel(path: string, options?: { name?: string; aliases?: string[] }): Promise<Artifact> {
    this.assertActive("logModel");
    return this.artifacts.logModel(path, options);
  }

  /** Uses a `model` artifact (`name:alias`) and resolves with the folder it was downloaded to. */
  useModel(name: string): Promise<string> {
    this.assertActive("useModel");
    return this.artifacts.useModel(name);
  }

  /**
   * Logs the source under `root` (default `.`) as a `code` artifact: `.ts`, `.js`, `.mjs`,
   * package.json and lockfiles, not under node_modules or stepwise/ (artifacts/code-files.ts);
   * null when nothing matched.
   */
  logCode(root?: string, options?: CodeFileOptions & { name?: string }): Promise<Artifact | null> {
    this.assertActive("logCode");
    return this.artifacts.logCode(root, options);
  }

  /** Links a logged version into a registry collection, `[entity/]model-registry/name` (artifacts/link-artifact.ts). */
  linkArtifact(artifact: Artifact, targetPath: string, options?: { aliases?: string[] }): Promise<void> {
    this.assertActive("linkArtifact");
    return linkArtifact(this.linkHost, artifact, targetPath, options);
  }

  /** Logs `path` as a `model` artifact and links it into `model-registry/<registeredModelName>`. */
  linkModel(
    path: string,
    registeredModelName: string,
    options?: { name?: string; aliases?: string[] },
  ): Promise<void> {
    this.assertActive("linkModel");
    return linkModel(this.linkHost, path, registeredModelName, options);
  }
}
