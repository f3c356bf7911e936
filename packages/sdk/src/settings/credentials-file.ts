/**
 * The credentials file `stepwise login` writes (`{ baseUrl, apiKey }`), read by init(), the Api
 * client and `stepwise sync` wherever options and environment name no server or key.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";

type Env = Record<string, string | undefined>;

/** `$STEPWISE_CONFIG_DIR/credentials.json`, else `~/.config/stepwise/credentials.json`. */
export function credentialsPath(env: Env = process.env): string {
  const dir = env["STEPWISE_CONFIG_DIR"];
  return join(
    dir !== undefined && dir !== "" ? dir : join(homedir(), ".config", "stepwise"),
    "credentials.json",
  );
}

/** A missing file is normal (never logged in); a damaged one is reported, since silently ignoring it hides the key. */
export function readCredentials(path: string): { baseUrl?: string; apiKey?: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON; run 'stepwise login' again or delete the file`);
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const { baseUrl, apiKey } = parsed as Record<string, unknown>;
  return {
    ...(typeof baseUrl === "string" ? { baseUrl } : {}),
    ...(typeof apiKey === "string" ? { apiKey } : {}),
  };
}

/**
 * The saved key, only for the server it was saved for (`defaultUrl` when the file names none):
 * a key is never sent to another server.
 */
export function savedKeyFor(
  baseUrl: string,
  saved: { baseUrl?: string; apiKey?: string },
  defaultUrl: string,
): string | null {
  if (saved.apiKey === undefined) return null;
  const savedUrl = (saved.baseUrl ?? defaultUrl).replace(/\/+$/, "");
  return savedUrl === baseUrl.replace(/\/+$/, "") ? saved.apiKey : null;
}
