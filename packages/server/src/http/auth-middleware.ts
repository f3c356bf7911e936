/** Authenticates every API request before its handler runs and keeps the Principal for it. */
import type { MiddlewareHandler } from "hono";
import { authenticate } from "../auth/authenticate.js";
import { trustsLoopback } from "../auth/loopback.js";
import type { AppDeps, AppEnv } from "./app-env.js";

export function authMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const trustLoopback = trustsLoopback(deps.config);
  return async (c, next) => {
    const principal = await authenticate(deps.store, {
      authorization: c.req.header("authorization"),
      remoteAddress: c.env.incoming?.socket.remoteAddress,
      trustLoopback,
      now: deps.now(),
    });
    c.set("principal", principal);
    await next();
  };
}
