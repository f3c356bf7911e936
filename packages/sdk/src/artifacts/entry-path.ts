/**
 * An artifact entry's path as `addFile`, `addDir`, `addReference` and `newFile` take it: relative,
 * `/`-separated, as the server's filePathSchema requires; UsageError naming the call otherwise.
 */
import { filePathSchema, UsageError } from "@stepwise/protocol";

export function entryPath(name: string, call: string): string {
  const path = name.split("\\").join("/").replace(/^\.\//, "");
  const parsed = filePathSchema.safeParse(path);
  if (!parsed.success)
    throw new UsageError(
      `artifact.${call}: the entry name '${name}' ${parsed.error.issues[0]?.message ?? "is invalid"}; pass { name } with a relative path`,
    );
  return path;
}
