/**
 * A run's artifacts (`run.logArtifact`, `run.useArtifact`). `logArtifact` never holds the
 * training thread: the artifact is sealed (its files hashed) on a thread of its own, written as
 * an `artifact` record into the run log (on disk before the call resolves), and the upload
 * worker commits it: only content the server lacks is uploaded, and unchanged content answers
 * the collection's existing version. A crash after the call resolved loses nothing: `stepwise
 * sync` commits the record from the log. `finish()` waits for artifacts still being sealed,
 * then (through the upload worker) for their commits.
 */
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import {
  artifactDistributedIdSchema,
  artifactNameProblem,
  artifactPaths,
  artifactVersionDtoSchema,
  StepwiseError,
  UsageError,
  type ArtifactRecord,
  type ArtifactVersionDto,
  type ErrorCode,
  type RunMode,
  type RunRef,
} from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";
import { Artifact } from "./artifact.js";
import { artifactOutcome, committedArtifacts } from "./artifact-queue.js";
import { listCodeFiles, type CodeFileOptions } from "./code-files.js";
import { checkedTtl } from "./artifact-save.js";
import { readCommitted, resolveArtifact, resolvePath } from "./artifact-remote.js";
import { sealOffThread } from "./seal-off-thread.js";

export interface LogArtifactOptions {
  name?: string;
  type?: string;
  aliases?: string[];
  tags?: string[];
}

/** `run.upsertArtifact` / `run.finishArtifact` (W&B's `upsert_artifact` / `finish_artifact`). */
export interface DistributedArtifactOptions {
  name?: string;
  type?: string;
  aliases?: string[];
  /** The id every writer of the version shares; default: the run's group. */
  distributedId?: string;
}

export interface UseArtifactOptions {
  type?: string;
  aliases?: string[];
  useAs?: string;
}

export interface RunArtifactsHost {
  mode: RunMode;
  ref: RunRef;
  /** The run's group ("" for none): the default distributedId. */
  group: string;
  /** The run directory (its artifact-state.json says what the upload worker committed). */
  dir: string;
  /** null unless online. */
  connection: ApiConnection | null;
  append(record: ArtifactRecord): void;
  /** Resolves once what was appended is on disk. */
  flush(): Promise<void>;
  warnOnce(cause: string, message: string): void;
}

interface Pending {
  artifact: Artifact;
  entries: ArtifactRecord["entries"];
  /** What the record does: logArtifact's whole commit, or a distributed upsert / finish. */
  op: "log" | "upsert" | "finish";
  resolve(version: ArtifactVersionDto | null): void;
  reject(error: Error): void;
}

export class RunArtifacts {
  private readonly sealing = new Set<Promise<unknown>>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly host: RunArtifactsHost) {}

  async logArtifact(artifactOrPath: Artifact | string, options: LogArtifactOptions = {}): Promise<Artifact> {
    const artifact = this.artifactOf(artifactOrPath, options);
    const aliases = checkedList(
      [...artifact.aliases, ...(options.aliases ?? [])],
      "alias",
      "run.logArtifact",
    );
    const tags = checkedList([...artifact.tags, ...(options.tags ?? [])], "tag", "run.logArtifact");
    if (this.host.mode === "disabled") return artifact;
    const work = this.seal(artifact, aliases, tags);
    this.sealing.add(work);
    try {
      await work;
    } finally {
      this.sealing.delete(work);
    }
    return artifact;
  }

  /**
   * `run.upsertArtifact` / `run.finishArtifact`: logged like `logArtifact` (sealed off the training
   * thread, recorded in the run log, committed by the upload worker), but into the pending version
   * of `distributedId` that several runs add to; the finish commits that version, every writer's
   * entries, as one (distributed-commit.ts).
   */
  async logDistributed(
    op: "upsert" | "finish",
    artifactOrPath: Artifact | string,
    options: DistributedArtifactOptions = {},
  ): Promise<Artifact> {
    const call = op === "upsert" ? "run.upsertArtifact" : "run.finishArtifact";
    const distributedId = options.distributedId ?? this.host.group;
    if (!artifactDistributedIdSchema.safeParse(distributedId).success)
      throw new UsageError(
        `${call}: pass { distributedId } (1–128 characters, the same in every writer of the version), or start the runs with init({ group }), whose group is the default`,
      );
    const artifact = this.artifactOf(artifactOrPath, options, call);
    const aliases = checkedList([...artifact.aliases, ...(options.aliases ?? [])], "alias", call);
    const tags = checkedList([...artifact.tags], "tag", call);
    if (this.host.mode === "disabled") return artifact;
    const work = this.seal(artifact, aliases, tags, { id: distributedId, op });
    this.sealing.add(work);
    try {
      await work;
    } finally {
      this.sealing.delete(work);
    }
    return artifact;
  }

  /**
   * Records the run as a consumer of a version and returns it (W&B's `use_artifact`): `type`,
   * when given, must be the stored type (UsageError naming both); `aliases` are added to the
   * version used (moved from the version holding them); `useAs` is checked but not stored (W&B
   * deprecated it and ignores it). An Artifact never logged is logged first.
   */
  async useArtifact(nameOrArtifact: string | Artifact, options: UseArtifactOptions = {}): Promise<Artifact> {
    const aliases = checkedList(options.aliases ?? [], "alias", "run.useArtifact");
    if (options.useAs !== undefined && (typeof options.useAs !== "string" || options.useAs === ""))
      throw new UsageError("run.useArtifact: useAs must be a non-empty string");
    if (nameOrArtifact instanceof Artifact) {
      if (this.host.mode === "disabled") return nameOrArtifact;
      if (nameOrArtifact.digest === null) await this.logArtifact(nameOrArtifact, { aliases });
      await nameOrArtifact.wait();
      return this.useArtifact(nameOrArtifact.qualifiedName, options);
    }
    const at = resolvePath(nameOrArtifact, this.host.ref, "run.useArtifact");
    if (this.host.mode === "disabled") return new Artifact(at.name, options.type ?? "unspecified");
    const connection = this.host.connection;
    if (connection === null)
      throw new UsageError(
        `run.useArtifact('${nameOrArtifact}'): an offline run cannot fetch an artifact; use an online run, or api.artifact() for one already cached`,
      );
    const resolved = await resolveArtifact(connection, at);
    if (options.type !== undefined && resolved.version.type !== options.type)
      throw new UsageError(
        `run.useArtifact('${nameOrArtifact}'): ${resolved.version.name}:${resolved.version.version} is of type '${resolved.version.type}', not '${options.type}'; pass type '${resolved.version.type}' or name another artifact`,
      );
    const http = new ApiHttp(connection);
    const { entity, project, name, version } = resolved.version;
    const held = resolved.version.aliases.filter((a) => a !== "latest");
    if (aliases.some((a) => !held.includes(a)))
      await http.json(
        "PUT",
        artifactPaths.version(entity, project, name, version) + "/aliases",
        artifactVersionDtoSchema,
        {
          body: { aliases: [...new Set([...held, ...aliases])] },
        },
      );
    const used = await http.json(
      "POST",
      artifactPaths.uses(entity, project, name, version),
      artifactVersionDtoSchema,
      {
        body: { run: this.host.ref },
      },
    );
    const artifact = new Artifact(used.name, used.type, {
      description: used.description,
      metadata: used.metadata,
    });
    artifact.markLogged(used, resolved.entries, connection);
    return artifact;
  }

  /** `run.logModel`: a file or folder logged as type `model` (name default `run-<id>-<basename>`). */
  logModel(path: string, options: { name?: string; aliases?: string[] } = {}): Promise<Artifact> {
    if (typeof path !== "string") throw new UsageError("run.logModel: pass the path of a file or folder");
    return this.logArtifact(path, { ...options, type: "model" });
  }

  /** `run.useModel`: uses a `model` artifact and resolves with the folder it was downloaded to. */
  async useModel(name: string): Promise<string> {
    const model = await this.useArtifact(name, { type: "model" });
    if (this.host.mode === "disabled") return "";
    return model.download();
  }

  /**
   * `run.logCode`: the source files under `root` (code-files.ts) as a `code` artifact; null,
   * with a warning, when none matched.
   */
  async logCode(root = ".", options: CodeFileOptions & { name?: string } = {}): Promise<Artifact | null> {
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      // Reported below.
    }
    if (!isDir) throw new UsageError(`run.logCode: '${root}' is not a readable folder; pass the source root`);
    const files = listCodeFiles(root, options);
    if (files.length === 0) {
      this.host.warnOnce("log-code-empty", `run.logCode: no source file matched under ${resolve(root)}`);
      return null;
    }
    const fallback = `source-${this.host.ref.project}-${this.host.ref.runId}`.replace(
      /[^A-Za-z0-9_.-]/g,
      "_",
    );
    const artifact = new Artifact(options.name ?? fallback, "code");
    for (const file of files) artifact.addFile(join(resolve(root), ...file.split("/")), { name: file });
    return this.logArtifact(artifact);
  }

  /** Resolves once every artifact being sealed is in the run log (finish() calls it before the exit record). */
  async settled(): Promise<void> {
    while (this.sealing.size > 0) await Promise.allSettled([...this.sealing]);
  }

  /**
   * What the upload worker reports for a record: committed (its version; null with no failure
   * for an upsert the server holds) or given up (why, and the server's error code).
   */
  onCommit(
    id: string,
    version: ArtifactVersionDto | null,
    failure: string | null,
    code: ErrorCode | null = null,
  ): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    if (failure !== null || (version === null && pending.op !== "upsert"))
      pending.reject(new StepwiseError(code ?? "UNAVAILABLE", failure ?? "the artifact was not committed"));
    else if (pending.op === "upsert" || version === null) pending.resolve(version);
    else if (pending.op === "finish") void this.finished(pending, version);
    else {
      pending.artifact.markLogged(version, pending.entries, this.host.connection);
      pending.resolve(version);
    }
  }

  /** A finish committed `version`: its manifest is every writer's entries, read back from the server. */
  private async finished(pending: Pending, version: ArtifactVersionDto): Promise<void> {
    const connection = this.host.connection;
    try {
      if (connection === null) throw new Error("no server connection");
      const resolved = await readCommitted(connection, version);
      pending.artifact.markLogged(resolved.version, resolved.entries, connection);
      pending.resolve(resolved.version);
    } catch (error) {
      pending.reject(
        new StepwiseError(
          "UNAVAILABLE",
          `artifact ${version.name} was committed as ${version.version}, but its manifest could not be read (${String(error)}); fetch it with api.artifact('${version.entity}/${version.project}/${version.name}:${version.version}')`,
        ),
      );
    }
  }

  /**
   * The run ended: artifacts the upload worker committed (its message perhaps not read yet)
   * resolve from artifact-state.json; the others reject (`stepwise sync` commits them later).
   */
  settleAtEnd(reason: string): void {
    const committed = committedArtifacts(this.host.dir);
    for (const id of [...this.pending.keys()])
      this.onCommit(id, committed[id] ?? null, id in committed ? null : reason);
  }

  /**
   * finish()'s summary of what artifact-state.json says is not committed: each refused
   * artifact with the server's words, and how many are left pending for `stepwise sync`.
   */
  reportAtEnd(warn: (message: string) => void): void {
    if (this.host.mode !== "online") return;
    const { pending, refused } = artifactOutcome(this.host.dir);
    for (const r of refused)
      warn(`artifact ${r.name} was refused by the server and is not committed: ${r.message}`);
    if (pending > 0)
      warn(
        `${pending} artifact${pending === 1 ? " is" : "s are"} not committed yet: run \`npx stepwise sync ${this.host.dir}\``,
      );
  }

  private async seal(
    artifact: Artifact,
    aliases: string[],
    tags: string[],
    distributed?: ArtifactRecord["distributed"],
  ): Promise<void> {
    const ttlS = checkedTtl(artifact.ttl, `run.${distributed?.op ?? "log"}Artifact`);
    const sealed = await sealOffThread(artifact);
    for (const warning of sealed.warnings) this.host.warnOnce(`artifact-${warning}`, warning);
    const id = randomUUID();
    const sources: Record<string, string> = {};
    for (const [sha256, source] of sealed.sources) sources[sha256] = source.localPath;
    const record: ArtifactRecord = {
      t: "artifact",
      id,
      name: artifact.name,
      type: artifact.type,
      description: artifact.description,
      metadata: artifact.metadata,
      aliases,
      tags,
      entries: sealed.entries,
      digest: sealed.digest,
      sources,
      time: Date.now() / 1000,
      ...(ttlS === null ? {} : { ttlS }),
      ...(distributed === undefined ? {} : { distributed }),
    };
    const op = distributed?.op ?? "log";
    const committed = new Promise<ArtifactVersionDto | null>((resolve, reject) => {
      if (this.host.mode !== "online")
        reject(
          new UsageError(
            `artifact ${artifact.name} is recorded in an offline run: \`npx stepwise sync\` commits it`,
          ),
        );
      else this.pending.set(id, { artifact, entries: sealed.entries, op, resolve, reject });
    });
    artifact.markSealed(sealed.digest, sealed.entries, committed, distributed?.id ?? null);
    this.host.append(record);
    await this.host.flush();
  }

  private artifactOf(
    artifactOrPath: Artifact | string,
    options: { name?: string; type?: string },
    call = "run.logArtifact",
  ): Artifact {
    if (artifactOrPath instanceof Artifact) return artifactOrPath;
    if (typeof artifactOrPath !== "string")
      throw new UsageError(`${call}: pass an Artifact or the path of a file or folder`);
    const path = resolve(artifactOrPath);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new UsageError(`${call}: cannot read '${artifactOrPath}' (${code}); check the path`);
    }
    const fallback = `run-${this.host.ref.runId}-${basename(path)}`.replace(/[^A-Za-z0-9_.-]/g, "_");
    const artifact = new Artifact(options.name ?? fallback, options.type ?? "unspecified");
    return isDir ? artifact.addDir(path) : artifact.addFile(path);
  }
}

function checkedList(values: string[], what: "alias" | "tag", call: string): string[] {
  const out = [...new Set(values.filter((v) => v !== "latest"))];
  for (const value of out) {
    const problem = artifactNameProblem(value, what);
    if (problem !== null) throw new UsageError(`${call}: ${problem} (got '${value}')`);
  }
  return out;
}
