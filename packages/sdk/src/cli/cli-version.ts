/** The CLI's version, read from its package.json (two levels above both src/cli/ and dist/cli/). */
import { readFileSync } from "node:fs";

export function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
