/**
 * `stepwise artifact gc <entity/project/name> [--keep-last N] [--keep-aliased]
 * [--keep-younger-than 30d] [--ttl-only] [--dry-run]`: applies a retention policy to a collection
 * now. A version is kept when any rule keeps it; the newest is always kept. A version past its
 * TTL (`artifact.ttl`) goes with any policy unless aliased or linked in a registry;
 * `--ttl-only` applies the TTLs alone. Prints the versions deleted
 * (or, with --dry-run, that would be) and the bytes that frees (content they alone hold, shared
 * files counted once), freed by the server's next garbage collection; a dry run also says why
 * each kept version stays.
 */
import { artifactPaths, stringifyExtended } from "@stepwise/protocol";
import type { ApiConnection } from "../../../api/api-connection.js";
import { ApiHttp } from "../../../api/api-http.js";
import type { CliIo } from "../../cli-io.js";
import { ExitCode } from "../../exit-codes.js";
import { commandUsageError } from "../../parse-args-error.js";
import { formatBytes } from "../files/files-table.js";

export interface GcOptions {
  keepLast?: string | undefined;
  keepAliased: boolean;
  ttlOnly: boolean;
  keepYoungerThan?: string | undefined;
  dryRun: boolean;
  json: boolean;
}

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90`, `90s`, `15m`, `12h`, `30d`, `2w` as seconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * (UNIT_S[match[2] || "s"] ?? 1);
}

interface RetentionAnswer {
  deleted: string[];
  kept: number;
  bytesFreed: number;
  /** Each kept version with every rule that keeps it (`latest`, `keep-last 2`, `aliased best`…). */
  keptBecause?: { version: string; reasons: string[] }[];
}

export async function collectArtifactVersions(
  connection: ApiConnection,
  target: string,
  options: GcOptions,
  io: CliIo,
): Promise<number> {
  const parts = target.split("/");
  if (parts.length !== 3 || parts.some((p) => p === "" || p.includes(":")))
    throw commandUsageError("artifact", "'gc' takes entity/project/name (a collection, no :alias)");
  const [entity = "", project = "", name = ""] = parts;
  const keepLast = options.keepLast === undefined ? undefined : Number(options.keepLast);
  if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 1))
    throw commandUsageError("artifact", `--keep-last ${options.keepLast}: a whole number ≥ 1`);
  const keepYoungerThanS =
    options.keepYoungerThan === undefined ? undefined : parseDuration(options.keepYoungerThan);
  if (keepYoungerThanS === null)
    throw commandUsageError(
      "artifact",
      `--keep-younger-than ${options.keepYoungerThan}: a duration like 30d, 12h, 90m`,
    );
  const hasRule = keepLast !== undefined || options.keepAliased || keepYoungerThanS !== undefined;
  if (hasRule === options.ttlOnly)
    throw commandUsageError(
      "artifact",
      options.ttlOnly
        ? "'gc --ttl-only' applies the versions' TTLs alone: drop the --keep-* rules"
        : "'gc' needs a rule: --keep-last N, --keep-aliased, --keep-younger-than DURATION or --ttl-only",
    );
  const http = new ApiHttp(connection);
  const path = `${artifactPaths.collections(entity, project)}/${encodeURIComponent(name)}/retention`;
  const result = await http.json(
    "POST",
    path,
    { parse: (value: unknown) => value as RetentionAnswer },
    {
      body: {
        ...(keepLast === undefined ? {} : { keepLast }),
        ...(options.keepAliased ? { keepAliased: true } : {}),
        ...(keepYoungerThanS === undefined ? {} : { keepYoungerThanS }),
        ...(options.ttlOnly ? { ttlOnly: true } : {}),
        dryRun: options.dryRun,
      },
    },
  );
  if (options.json)
    io.stdout.write(stringifyExtended({ collection: target, ...result, dryRun: options.dryRun }) + "\n");
  else for (const version of result.deleted) io.stdout.write(`${target}:${version}\n`);
  // Why each version stays, for a dry run read by a person (--json carries it as keptBecause).
  if (options.dryRun && !options.json)
    for (const { version, reasons } of result.keptBecause ?? [])
      io.stderr.write(`keeps ${target}:${version} (${reasons.join(", ")})\n`);
  io.stderr.write(
    `${options.dryRun ? "would delete" : "deleted"} ${result.deleted.length} version${result.deleted.length === 1 ? "" : "s"}, kept ${result.kept}; ${formatBytes(result.bytesFreed)} ${options.dryRun ? "would be" : "to be"} freed by the server's garbage collection\n`,
  );
  return ExitCode.ok;
}
