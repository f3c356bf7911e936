/**
 * `run.toHtml()` and `run.display()` (W&B's `to_html` / `display`): an iframe of the server's
 * embeddable, read-only view of the run (`/embed/<entity>/<project>/runs/<id>`: summary and charts,
 * framable from any origin), and showing it in a notebook: tslab (`tslab.display.html`) or Deno's
 * Jupyter kernel (`Deno.jupyter.display`). Elsewhere `display()` shows nothing and returns false.
 *
 * The iframe's URL carries an embed token (protocol embed.ts): the server signs it for this run
 * when asked with the run's API key, and the embed view reads the run with it, so that a reader
 * needs no key of their own. A server that cannot be reached or predates embed tokens gives a
 * URL without one (with a warning): it shows the run only where the server trusts loopback.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  EMBED_TOKEN_MAX_TTL_S,
  EMBED_TOKEN_QUERY,
  embedPaths,
  embedTokenResponseSchema,
  StepwiseError,
  UsageError,
  type RunRef,
} from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";

export interface EmbedOptions {
  /** Height of the iframe in CSS pixels. Default 420 (as W&B). */
  height?: number;
  /** Hide the iframe behind a "Show run" button. Default false. */
  hidden?: boolean;
  /** Seconds the embed token (so the iframe) stays valid: default 7 days, at most 30. */
  ttlSeconds?: number;
}

/** A server asked for a token answers within this, or the iframe goes without one. */
const TOKEN_TIMEOUT_MS = 10_000;

export function runEmbedUrl(
  baseUrl: string,
  entity: string,
  project: string,
  id: string,
  token?: string,
): string {
  const enc = encodeURIComponent;
  const url = `${baseUrl}/embed/${enc(entity)}/${enc(project)}/runs/${enc(id)}`;
  return token === undefined ? url : `${url}?${EMBED_TOKEN_QUERY}=${enc(token)}`;
}

/** Throws UsageError for a height or lifetime that cannot be, before anything is asked of the server. */
export function checkEmbedOptions(options: EmbedOptions = {}): void {
  const height = options.height ?? 420;
  if (typeof height !== "number" || !Number.isFinite(height) || height <= 0)
    throw new UsageError(`run.toHtml: height must be a positive number of pixels, not ${String(height)}`);
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > EMBED_TOKEN_MAX_TTL_S))
    throw new UsageError(
      `run.toHtml: ttlSeconds must be a whole number of seconds from 1 to ${EMBED_TOKEN_MAX_TTL_S} (30 days), not ${String(ttl)}`,
    );
}

/**
 * The embed URL of `ref` with a fresh token. An unreachable server, or one without the
 * embed-token route (older), gives the URL without a token and a warning; a key that may not
 * read the run throws its AuthError (an iframe would show nothing).
 */
export async function tokenizedEmbedUrl(
  connection: ApiConnection,
  ref: RunRef,
  options: EmbedOptions,
  warn: (cause: string, message: string) => void,
): Promise<string> {
  const plain = runEmbedUrl(connection.baseUrl, ref.entity, ref.project, ref.runId);
  try {
    const http = new ApiHttp(connection, TOKEN_TIMEOUT_MS);
    const body = options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };
    const { token } = await http.json("POST", embedPaths.token(ref), embedTokenResponseSchema, { body });
    return runEmbedUrl(connection.baseUrl, ref.entity, ref.project, ref.runId, token);
  } catch (error) {
    if (!(error instanceof StepwiseError) || (error.code !== "NOT_FOUND" && error.code !== "UNAVAILABLE"))
      throw error;
    warn(
      `embed-token-${error.code}`,
      `run.toHtml: no embed token (${error.code === "NOT_FOUND" ? "the server is older than embed tokens" : "the server cannot be reached"}); the iframe shows the run only if the server trusts loopback. ${error.message}`,
    );
    return plain;
  }
}

/** The iframe (url null: an offline or disabled run, which the server does not have yet: a note instead). */
export function embedHtml(url: string | null, options: EmbedOptions = {}): string {
  checkEmbedOptions(options);
  const height = options.height ?? 420;
  if (url === null)
    return "<p>This run is not on a server (offline or disabled): sync it with <code>stepwise sync</code> to view it.</p>";
  const hidden = options.hidden === true;
  const style = `border:none;width:100%;height:${Math.round(height)}px;${hidden ? "display:none;" : ""}`;
  const iframe = `<iframe src="${escapeAttribute(url)}" style="${style}" loading="lazy" title="Stepwise run"></iframe>`;
  if (!hidden) return iframe;
  const toggle =
    "<button onclick=\"var f=this.nextElementSibling;f.style.display=f.style.display==='none'?'block':'none'\">Show run</button>";
  return toggle + iframe;
}

/** Shows `html` in the notebook this process is a kernel of; false when it is none. */
export function displayHtml(html: string): boolean {
  const deno = (
    globalThis as { Deno?: { jupyter?: { display?: (value: unknown, options?: unknown) => unknown } } }
  ).Deno;
  if (typeof deno?.jupyter?.display === "function") {
    void deno.jupyter.display({ "text/html": html }, { raw: true });
    return true;
  }
  const tslab = tslabDisplay();
  if (tslab !== null) {
    tslab(html);
    return true;
  }
  return false;
}

/** tslab's `display.html` when this process is a tslab kernel (`tslab kernel …` in its arguments). */
function tslabDisplay(): ((html: string) => void) | null {
  if (!process.argv.some((arg) => /tslab/.test(arg)) || !process.argv.includes("kernel")) return null;
  try {
    const require = createRequire(join(process.cwd(), "noop.js"));
    const tslab = require("tslab") as { display?: { html?: (html: string) => void } };
    return typeof tslab.display?.html === "function" ? tslab.display.html : null;
  } catch {
    return null;
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
