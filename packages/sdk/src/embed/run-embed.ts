/**
 * `run.toHtml()` and `run.display()` (W&B's `to_html` / `display`): an iframe of the server's
 * embeddable, read-only view of the run (`/embed/<entity>/<project>/runs/<id>`: summary and charts,
 * framable from any origin), and showing it in a notebook: tslab (`tslab.display.html`) or Deno's
 * Jupyter kernel (`Deno.jupyter.display`). Elsewhere `display()` shows nothing and returns false.
 *
 * The iframe's URL carries an embed token (protocol embed.ts): the server signs it for this run
 * when asked with the run's API key, and the embed view reads the run with it, so that a reader
 * needs no key of their own. `toHtml()` is synchronous (as W&B's `to_html`), so the run asks for
 * a token in the background as soon as it starts (EmbedTokenCache) and `toHtml()` uses the newest
 * one it holds; `await run.embedUrl({ ttlSeconds })` asks for a fresh one and waits. A server that
 * cannot be reached or predates embed tokens gives a URL without one (with a warning): it shows
 * the run only where the server trusts loopback.
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
}

export interface EmbedUrlOptions {
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

/** Throws UsageError for a height that cannot be. */
export function checkEmbedOptions(options: EmbedOptions = {}): void {
  const height = options.height ?? 420;
  if (typeof height !== "number" || !Number.isFinite(height) || height <= 0)
    throw new UsageError(`run.toHtml: height must be a positive number of pixels, not ${String(height)}`);
}

/** Throws UsageError for a token lifetime that cannot be, before anything is asked of the server. */
export function checkEmbedUrlOptions(options: EmbedUrlOptions = {}): void {
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > EMBED_TOKEN_MAX_TTL_S))
    throw new UsageError(
      `run.embedUrl: ttlSeconds must be a whole number of seconds from 1 to ${EMBED_TOKEN_MAX_TTL_S} (30 days), not ${String(ttl)}`,
    );
}

/**
 * A run's embed tokens: the newest one it was given, and the request in flight. `toHtml()`
 * reads `currentUrl()` without waiting; `refresh()` asks for a new token and keeps it.
 */
export class EmbedTokenCache {
  #token: { token: string; expiresAt: number } | null = null;
  #inFlight: Promise<string> | null = null;

  constructor(
    private readonly connection: ApiConnection,
    private readonly ref: RunRef,
    private readonly warn: (cause: string, message: string) => void,
  ) {}

  /**
   * Starts asking for a token with the default lifetime, unless one is held or asked for.
   * Silent: a run that never embeds itself must not warn about a server without embed tokens
   * (toHtml() says so when it finds none).
   */
  prefetch(): void {
    if (this.#token !== null || this.#inFlight !== null) return;
    this.#inFlight = this.fetch({}, () => undefined).catch(() => this.plainUrl());
  }

  /**
   * The embed URL with the newest token while it is valid (even one asked to live a second),
   * or without one (`tokened` false) — then a token with the default lifetime is asked for.
   */
  currentUrl(): { url: string; tokened: boolean } {
    const held = this.#token;
    if (held !== null && held.expiresAt > Date.now() / 1000)
      return { url: this.urlWith(held.token), tokened: true };
    if (held !== null) this.#token = null;
    this.prefetch();
    return { url: this.plainUrl(), tokened: false };
  }

  /** Asks for a fresh token (`ttlSeconds`), keeps it for `currentUrl()`, and answers its URL. */
  refresh(options: EmbedUrlOptions): Promise<string> {
    return this.fetch(options, this.warn);
  }

  private async fetch(
    options: EmbedUrlOptions,
    warn: (cause: string, message: string) => void,
  ): Promise<string> {
    try {
      return await tokenizedEmbedUrl(this.connection, this.ref, options, warn, (token) => {
        this.#token = token;
      });
    } finally {
      this.#inFlight = null;
    }
  }

  private plainUrl(): string {
    return runEmbedUrl(this.connection.baseUrl, this.ref.entity, this.ref.project, this.ref.runId);
  }

  private urlWith(token: string): string {
    return runEmbedUrl(this.connection.baseUrl, this.ref.entity, this.ref.project, this.ref.runId, token);
  }
}

/**
 * The embed URL of `ref` with a fresh token. An unreachable server, or one without the
 * embed-token route (older), gives the URL without a token and a warning; a key that may not
 * read the run throws its AuthError (an iframe would show nothing).
 */
export async function tokenizedEmbedUrl(
  connection: ApiConnection,
  ref: RunRef,
  options: EmbedUrlOptions,
  warn: (cause: string, message: string) => void,
  keep: (token: { token: string; expiresAt: number }) => void = () => undefined,
): Promise<string> {
  const plain = runEmbedUrl(connection.baseUrl, ref.entity, ref.project, ref.runId);
  try {
    const http = new ApiHttp(connection, TOKEN_TIMEOUT_MS);
    const body = options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };
    const { token, expiresAt } = await http.json("POST", embedPaths.token(ref), embedTokenResponseSchema, {
      body,
    });
    keep({ token, expiresAt });
    return runEmbedUrl(connection.baseUrl, ref.entity, ref.project, ref.runId, token);
  } catch (error) {
    if (!(error instanceof StepwiseError) || (error.code !== "NOT_FOUND" && error.code !== "UNAVAILABLE"))
      throw error;
    warn(
      `embed-token-${error.code}`,
      `run.embedUrl: no embed token (${error.code === "NOT_FOUND" ? "the server is older than embed tokens" : "the server cannot be reached"}); the iframe shows the run only if the server trusts loopback. ${error.message}`,
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
