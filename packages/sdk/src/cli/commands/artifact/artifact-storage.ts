/**
 * `stepwise artifact ls <entity/project>[/name] --storage`: the bytes each collection's live
 * versions store (each file's content counted once, shared files once across collections too)
 * beside the bytes their versions list, and the project's total — the server's
 * `GET /api/v1/artifact-storage/:entity/:project`. `--json`: that answer, one object.
 */
import { artifactStoragePath, artifactStorageSchema, stringifyExtended } from "@stepwise/protocol";
import type { ApiConnection } from "../../../api/api-connection.js";
import { ApiHttp } from "../../../api/api-http.js";
import type { CliIo } from "../../cli-io.js";
import { ExitCode } from "../../exit-codes.js";
import { formatBytes } from "../files/files-table.js";

export async function listArtifactStorage(
  connection: ApiConnection,
  at: { entity: string; project: string; name: string | undefined },
  options: { type: string | undefined; json: boolean },
  io: CliIo,
): Promise<number> {
  const storage = await new ApiHttp(connection).json(
    "GET",
    artifactStoragePath(at.entity, at.project),
    artifactStorageSchema,
  );
  const collections = storage.collections.filter(
    (c) =>
      (at.name === undefined || c.name === at.name) &&
      (options.type === undefined || c.type === options.type),
  );
  if (options.json) {
    io.stdout.write(stringifyExtended({ ...storage, collections }) + "\n");
    return ExitCode.ok;
  }
  const rows = collections.map((c) => [
    c.name,
    c.type,
    String(c.versions),
    formatBytes(c.bytes),
    formatBytes(c.logicalBytes),
  ]);
  // The project's total counts content shared by collections once: not the sum of the rows.
  if (at.name === undefined && options.type === undefined)
    rows.push(["(project)", "", "", formatBytes(storage.bytes), formatBytes(storage.logicalBytes)]);
  const header = ["NAME", "TYPE", "VERSIONS", "STORED", "LISTED"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const cells of [header, ...rows])
    io.stdout.write(
      cells
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd() + "\n",
    );
  return ExitCode.ok;
}
