/**
 * `stepwise artifact rm <entity/project/name:alias>` soft-deletes one version; `rm
 * <entity/project/name> --all` the whole collection. The server hides what was deleted at once;
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
  options: { all: boolean; json: boolean },
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
