/**
 * Where the `Api` client talks to and with which key: options > environment
 * (STEPWISE_BASE_URL, STEPWISE_API_KEY) > the credentials file `stepwise login` writes >
 * http://127.0.0.1:8080 with no key. Resolved once, in the constructor, so that a test can hand
 * in its own environment instead of patching process.env.
 */
import { UsageError } from "@stepwise/protocol";
import { DEFAULT_BASE_URL } from "../settings/resolve-settings.js";
import { credentialsPath, readCredentials, savedKeyFor } from "../settings/credentials-file.js";

/** Where a client looks when nothing names a server: the same default as `init()`'s. */
export const DEFAULT_API_BASE_URL = DEFAULT_BASE_URL;

export interface ApiConnection {
  /** Without a trailing slash. */
  baseUrl: string;
  apiKey: string | null;
}

export interface ApiConnectionOptions {
  /** Default: STEPWISE_BASE_URL, then the credentials file, then http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Default: STEPWISE_API_KEY, then the credentials file, then none. */
  apiKey?: string;
}

type Env = Record<string, string | undefined>;

export function resolveApiConnection(
  options: ApiConnectionOptions = {},
  env: Env = process.env,
): ApiConnection {
  const saved = readCredentials(credentialsPath(env));
  const baseUrl = firstText(options.baseUrl, env["STEPWISE_BASE_URL"], saved.baseUrl) ?? DEFAULT_API_BASE_URL;
  checkBaseUrl(baseUrl);
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    apiKey:
      firstText(options.apiKey, env["STEPWISE_API_KEY"]) ?? savedKeyFor(baseUrl, saved, DEFAULT_API_BASE_URL),
  };
}

function firstText(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value !== "");
}

function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`baseUrl ${JSON.stringify(baseUrl)} is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`baseUrl ${JSON.stringify(baseUrl)} must start with http:// or https://`);
}
