/**
 * Who may show the web UI in a frame. The embeddable run view (`/embed/…`, what `run.toHtml()`
 * puts in an iframe, for notebooks and other sites) may be framed by any origin: it is read-only
 * and reads through the API like any page of the server's own origin. Every other page of the app
 * may be framed only by the server's own origin (clickjacking: a page of another origin must not
 * overlay the app's buttons). API responses keep their own headers (media blobs are sandboxed).
 */
import { API_PREFIX } from "@stepwise/protocol";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.js";

export const EMBED_PREFIX = "/embed/";

export function frameHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const path = c.req.path;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return;
    if (path.startsWith(EMBED_PREFIX)) {
      c.res.headers.delete("x-frame-options");
      c.res.headers.set("content-security-policy", "frame-ancestors *");
      return;
    }
    c.res.headers.set("x-frame-options", "SAMEORIGIN");
    c.res.headers.set("content-security-policy", "frame-ancestors 'self'");
  };
}
