/** A package's version, read from its package.json. */
import { readFileSync } from "node:fs";

/** The SDK's own package.json: two levels above both src/cli/ and dist/cli/. */
const SDK_MANIFEST = new URL("../../package.json", import.meta.url);

/** The `version` of the package.json at `manifest` (the SDK's by default), or "unknown". */
export function cliVersion(manifest: URL = SDK_MANIFEST): string {
  const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
  const version = (parsed as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
