/**
 * `stepwise artifact rm <entity/project/name:alias>` soft-deletes one version; `rm
 * <entity/project/name> --all` the whole collection; `rm <entity/project/name> --distributed
 * ID` discards the distributed artifact ID (its version, if finished, stays). The server hides what was deleted at once;
 * its blobs that nothing else holds are freed by the next garbage collection (`stepwise server
 * --gc`). Prints what was deleted (a JSON object with --json).
 */
import {
  artifactPaths,
  artifactVersionDtoSchema,
  parseArtifactPath,
  stringifyExtended,
} from "@stepwise/protocol";
import type { ApiConnection } from "../../../api/api-connection.js";
import { ApiHttp } from "../../../api/api-http.js";
import type { CliIo } from "../../cli-io.js";
import { ExitCode } from "../../exit-codes.js";
import { commandUsageError } from "../../parse-args-error.js";

export async function removeArtifact(
  connection: ApiConnection,
  target: string,
  options: { all: boolean; json: boolean; distributed?: string },
  io: CliIo,
): Promise<number> {
  const path = parseArtifactPath(target);
  if ("problem" in path) throw commandUsageError("artifact", `rm: ${path.problem}`);
  if (path.entity === null || path.project === null)
    throw commandUsageError(
      "artifact",
      "'rm' takes entity/project/name:alias (or entity/project/name --all)",
    );
  const http = new ApiHttp(connection);
  const collection = `${artifactPaths.collections(path.entity, path.project)}/${encodeURIComponent(path.name)}`;
  const qualified = `${path.entity}/${path.project}/${path.name}`;
  if (options.distributed !== undefined) {
    if (target.includes(":") || options.all)
      throw commandUsageError("artifact", "--distributed takes entity/project/name, without :alias or --all");
    const url = `${artifactPaths.distributed(path.entity, path.project, path.name)}/${encodeURIComponent(options.distributed)}`;
    const answer = await http.json("DELETE", url, {
      parse: (value: unknown) => value as { state: "pending" | "finished"; fileCount: number },
    });
    const what = { collection: qualified, distributedId: options.distributed, ...answer };
    io.stdout.write(options.json ? stringifyExtended(what) + "\n" : `${qualified} ${options.distributed}\n`);
    io.stderr.write(
      answer.state === "pending"
        ? `discarded the distributed artifact ${options.distributed} of ${qualified} (${answer.fileCount} files never committed)\n`
        : `forgot the distributed artifact ${options.distributed} of ${qualified} (finished; its version is kept)\n`,
    );
    return ExitCode.ok;
  }
  if (!target.includes(":")) {
    if (!options.all)
      throw commandUsageError(
        "artifact",
        `'rm ${target}' names no version: add :alias (or :vN) to delete one version, or --all to delete the collection`,
      );
    const { deleted } = await http.json("DELETE", collection, {
      parse: (value: unknown) => value as { deleted: number },
    });
    io.stdout.write(
      options.json ? stringifyExtended({ collection: qualified, deleted }) + "\n" : `${qualified}\n`,
    );
    io.stderr.write(`deleted ${qualified} (${deleted} version${deleted === 1 ? "" : "s"})\n`);
    return ExitCode.ok;
  }
  if (options.all)
    throw commandUsageError(
      "artifact",
      "--all deletes a collection: give entity/project/name without :alias",
    );
  const version = await http.json("DELETE", `${collection}/${encodeURIComponent(path.alias)}`, {
    parse: (value: unknown) => artifactVersionDtoSchema.parse(value),
  });
  io.stdout.write(options.json ? stringifyExtended(version) + "\n" : `${qualified}:${version.version}\n`);
  io.stderr.write(
    `deleted ${qualified}:${version.version}${version.aliases.length > 0 ? ` (aliases removed: ${version.aliases.join(", ")})` : ""}\n`,
  );
  return ExitCode.ok;
}
