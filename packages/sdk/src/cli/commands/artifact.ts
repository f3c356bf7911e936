/**
 * `stepwise artifact put|get|ls|rm`: log a local file or folder as an artifact version (no run),
 * download a version (cache first, parallel, sha256-checked), list collections or versions,
 * delete a version or a collection (artifact/artifact-rm.ts), apply a retention policy now
 * (`gc`, artifact/artifact-gc.ts), clean up the local cache (`cache cleanup`).
 * Data (the version, the folder, the table, JSON lines) goes to stdout; notes to stderr.
 */
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  artifactPaths,
  artifactVersionDtoSchema,
  NotFoundError,
  parseArtifactPath,
  stringifyExtended,
  type ArtifactVersionDto,
} from "@stepwise/protocol";
import { resolveApiConnection, type ApiConnection } from "../../api/api-connection.js";
import { ApiHttp } from "../../api/api-http.js";
import { Api } from "../../api/api.js";
import { Artifact } from "../../artifacts/artifact.js";
import { commitArtifactRecord } from "../../artifacts/artifact-commit.js";
import { sealArtifact } from "../../artifacts/seal-artifact.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { commandUsageError, usageErrorFromParseArgs } from "../parse-args-error.js";
import { ARTIFACT_HELP } from "./artifact/artifact-help.js";
import { runCacheCommand } from "./artifact/artifact-cache-command.js";
import { listArtifactStorage } from "./artifact/artifact-storage.js";
import { collectArtifactVersions } from "./artifact/artifact-gc.js";
import { removeArtifact } from "./artifact/artifact-rm.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { formatBytes } from "./files/files-table.js";

export const artifactCommand: Command = {
  name: "artifact",
  summary: COMMAND_SUMMARIES.artifact,
  run: runArtifact,
};

const ARG_OPTIONS = {
  name: { type: "string" },
  type: { type: "string" },
  alias: { type: "string", multiple: true },
  description: { type: "string" },
  root: { type: "string" },
  json: { type: "boolean", default: false },
  all: { type: "boolean", default: false },
  distributed: { type: "string" },
  "keep-last": { type: "string" },
  "keep-aliased": { type: "boolean", default: false },
  "ttl-only": { type: "boolean", default: false },
  storage: { type: "boolean", default: false },
  "keep-younger-than": { type: "string" },
  "dry-run": { type: "boolean", default: false },
  "max-size": { type: "string" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

async function runArtifact(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "artifact");
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(ARTIFACT_HELP);
    return ExitCode.ok;
  }
  const [action, target, ...rest] = positionals;
  if (action === undefined || !["put", "get", "ls", "rm", "gc", "cache"].includes(action))
    throw commandUsageError(
      "artifact",
      action === undefined
        ? "missing the action: put, get, ls, rm, gc or cache"
        : `unknown action '${action}'; the actions are put, get, ls, rm, gc and cache`,
    );
  if (target === undefined)
    throw commandUsageError("artifact", `missing the ${action === "put" ? "local path" : "artifact path"}`);
  if (rest.length > 0) throw commandUsageError("artifact", `unexpected arguments: ${rest.join(" ")}`);
  if (action === "cache")
    return runCacheCommand(target, { maxSize: values["max-size"], json: values.json }, io);
  const connection = resolveApiConnection({
    ...(values["base-url"] === undefined ? {} : { baseUrl: values["base-url"] }),
    ...(values["api-key"] === undefined ? {} : { apiKey: values["api-key"] }),
  });
  const json = values.json;
  if (action === "rm")
    return removeArtifact(
      connection,
      target,
      {
        all: values.all,
        json,
        ...(values.distributed === undefined ? {} : { distributed: values.distributed }),
      },
      io,
    );
  if (action === "gc")
    return collectArtifactVersions(
      connection,
      target,
      {
        keepLast: values["keep-last"],
        keepAliased: values["keep-aliased"],
        ttlOnly: values["ttl-only"],
        keepYoungerThan: values["keep-younger-than"],
        dryRun: values["dry-run"],
        json,
      },
      io,
    );
  if (action === "put") {
    if (values.name === undefined || values.type === undefined)
      throw commandUsageError("artifact", "'put' needs --name entity/project/name and --type");
    return put(connection, target, { ...values, name: values.name, type: values.type }, io);
  }
  if (action === "get") {
    const api = new Api({
      baseUrl: connection.baseUrl,
      ...(connection.apiKey === null ? {} : { apiKey: connection.apiKey }),
    });
    const artifact = await api.artifact(target);
    const root = await artifact.download(values.root === undefined ? {} : { root: values.root });
    io.stdout.write(
      json ? stringifyExtended({ artifact: artifact.qualifiedName, root }) + "\n" : `${root}\n`,
    );
    io.stderr.write(`downloaded ${artifact.qualifiedName} (${formatBytes(artifact.size)}) to ${root}\n`);
    return ExitCode.ok;
  }
  if (values.storage) {
    const parts = target.split("/");
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "" || p.includes(":")))
      throw commandUsageError("artifact", "'ls --storage' takes entity/project or entity/project/name");
    const [entity = "", project = "", name] = parts;
    return listArtifactStorage(connection, { entity, project, name }, { type: values.type, json }, io);
  }
  return list(connection, target, values.type, json, io);
}

async function put(
  connection: ApiConnection,
  local: string,
  options: { name: string; type: string; alias?: string[]; description?: string; json: boolean },
  io: CliIo,
): Promise<number> {
  const path = parseArtifactPath(options.name);
  if ("problem" in path) throw commandUsageError("artifact", `--name: ${path.problem}`);
  if (path.entity === null || path.project === null || options.name.includes(":"))
    throw commandUsageError("artifact", "--name must be entity/project/name (no :alias)");
  let isDir: boolean;
  try {
    isDir = statSync(local).isDirectory();
  } catch {
    throw new NotFoundError(`cannot put ${local}: no such file or folder`);
  }
  const artifact = new Artifact(path.name, options.type, { description: options.description ?? "" });
  if (isDir) artifact.addDir(local);
  else artifact.addFile(local);
  const sealed = await sealArtifact(artifact);
  for (const warning of sealed.warnings) io.stderr.write(`stepwise: warning: ${warning}\n`);
  const sources: Record<string, string> = {};
  for (const [sha256, source] of sealed.sources) sources[sha256] = source.localPath;
  const result = await commitArtifactRecord(
    connection,
    { entity: path.entity, project: path.project, runId: null },
    {
      name: path.name,
      type: options.type,
      description: options.description ?? "",
      metadata: {},
      aliases: options.alias ?? [],
      tags: [],
      entries: sealed.entries,
      digest: sealed.digest,
      sources,
    },
  );
  const version = result.response.version;
  const qualified = `${version.entity}/${version.project}/${version.name}:${version.version}`;
  io.stdout.write(
    options.json
      ? stringifyExtended({ ...result.response, bytesSent: result.bytesSent }) + "\n"
      : `${qualified}\n`,
  );
  io.stderr.write(
    result.response.status === "unchanged"
      ? `unchanged: ${qualified} holds this content already; nothing sent\n`
      : `logged ${qualified} (${version.fileCount} files, ${formatBytes(version.size)}; ${formatBytes(result.bytesSent)} sent)\n`,
  );
  return ExitCode.ok;
}

async function list(
  connection: ApiConnection,
  target: string,
  type: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const parts = target.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
    throw commandUsageError("artifact", "'ls' takes entity/project or entity/project/name");
  const [entity = "", project = "", name] = parts;
  const http = new ApiHttp(connection);
  if (name !== undefined) {
    const { versions } = await http.json("GET", artifactPaths.versions(entity, project, name), {
      parse: (value: unknown) => ({
        versions: ((value as { versions?: unknown[] }).versions ?? []).map((v) =>
          artifactVersionDtoSchema.parse(v),
        ),
      }),
    });
    io.stdout.write(
      json ? versions.map((v) => stringifyExtended(v) + "\n").join("") : versionTable(versions),
    );
    return ExitCode.ok;
  }
  const { collections } = await http.json(
    "GET",
    artifactPaths.collections(entity, project),
    {
      parse: (value: unknown) => value as { collections: CollectionRow[] },
    },
    { query: { type } },
  );
  io.stdout.write(
    json
      ? collections.map((c) => stringifyExtended(c) + "\n").join("")
      : table(
          ["NAME", "TYPE", "VERSIONS", "LATEST"],
          collections.map((c) => [c.name, c.type, String(c.versionCount), c.latest ?? "-"]),
        ),
  );
  return ExitCode.ok;
}

interface CollectionRow {
  name: string;
  type: string;
  versionCount: number;
  latest: string | null;
}

function versionTable(versions: ArtifactVersionDto[]): string {
  return table(
    ["VERSION", "ALIASES", "FILES", "SIZE", "CREATED (UTC)"],
    versions.map((v) => [
      v.version,
      v.aliases.join(",") || "-",
      String(v.fileCount),
      formatBytes(v.size),
      new Date(v.createdAt * 1000).toISOString().slice(0, 19).replace("T", " "),
    ]),
  );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd() + "\n";
  return [header, ...rows].map(line).join("");
}
