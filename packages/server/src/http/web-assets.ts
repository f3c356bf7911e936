/**
 * Serves the built web UI (`packages/web/dist`: `index.html` + hashed `assets/`) for every GET and
 * HEAD outside `/api/`: a file that exists is sent with its content type, any other path gets
 * `index.html` so that the single-page app's router can open it (`/entity/project/runs/id`).
 * A missing `/assets/*` file is a 404, not the page: a browser asking for a script must not get
 * HTML. A path that tries to leave the directory (a `..` or `.` segment, encoded or not, a
 * backslash, a NUL) is a 404. Without a build, `/` shows the home page that says how to build it.
 * Static files need no key: they hold no data, and the API under them keeps its rules.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { API_PREFIX, NotFoundError } from "@stepwise/protocol";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.js";
import { homePage } from "./home-page.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

/** Vite names files under `assets/` by content hash, so a year of caching is safe. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** `index.html` names the current hashes: always revalidate it so a rebuild shows at once. */
const REVALIDATE = "no-cache";

/** The static-file handler; `root` null (no UI configured) behaves like a root without a build. */
export function webAssets(root: string | null): MiddlewareHandler<AppEnv> {
  const base = root === null ? null : resolve(root);
  return async (c, next) => {
    const rawPath = requestPath(c.env, c.req.url);
    if (isApiPath(rawPath)) return next();
    const index = base === null ? null : await fileAt(join(base, "index.html"));
    if (base === null || index === null) {
      if (rawPath === "/") return homePage();
      throw notFound(rawPath);
    }
    const relative = safeRelativePath(rawPath);
    if (relative === null) throw notFound(rawPath);
    const file = relative === "" ? null : await fileAt(join(base, relative));
    if (file !== null) {
      const cache = relative.startsWith(`assets${sep}`) ? IMMUTABLE : REVALIDATE;
      return fileResponse(await readFile(file), contentType(file), cache);
    }
    if (relative.startsWith(`assets${sep}`) || relative === "assets") throw notFound(rawPath);
    return fileResponse(await readFile(index), CONTENT_TYPES[".html"] ?? "text/html", REVALIDATE);
  };
}

/**
 * The path as the client sent it (query cut off): the request line when there is one, because
 * the URL parser folds `/a/../b` into `/b` and a traversal must be seen to be refused. `env` is
 * absent when the app is driven without a Node server (`app.request()`); an absolute-form
 * request target (`GET http://host/path`) falls back to the parsed path too.
 */
function requestPath(env: AppEnv["Bindings"] | undefined, url: string): string {
  const raw = env?.incoming?.url;
  const path = raw?.startsWith("/") === true ? raw : new URL(url).pathname;
  return path.split("?")[0] ?? "/";
}

function isApiPath(path: string): boolean {
  return (
    path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) || path === "/api" || path.startsWith("/api/")
  );
}

/**
 * The decoded path relative to the root (`""` for `/`), or null when it could name anything
 * outside it. Checked on the raw request line: the URL parser would already have folded `..`.
 */
function safeRelativePath(rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith("/") || decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.slice(1).split("/");
  if (segments.some((s) => s === ".." || s === ".")) return null;
  return segments.filter((s) => s !== "").join(sep);
}

/** The path when it is a regular file, else null. */
async function fileAt(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

function fileResponse(body: Buffer, type: string, cacheControl: string): Response {
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": type,
      "content-length": String(body.byteLength),
      "cache-control": cacheControl,
      "x-content-type-options": "nosniff",
    },
  });
}

function notFound(path: string): NotFoundError {
  return new NotFoundError(`no file or page at ${path.slice(0, 200)}`);
}
