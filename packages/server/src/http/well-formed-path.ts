/**
 * Refuses a URL path with broken percent-encoding (`%ZZ`) before routing. The router would keep
 * such a segment as typed, so `/runs/e/p/%ZZ` would name a run literally called `%ZZ`, which is
 * not what any client meant.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.js";
import { InputError } from "./input-error.js";

export function wellFormedPath(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const pathname = new URL(c.req.url).pathname;
    try {
      decodeURIComponent(pathname);
    } catch {
      throw new InputError([{ field: "path", message: "has malformed percent-encoding; encode '%' as %25" }]);
    }
    await next();
  };
}
