/**
 * Authenticates every API request before its handler runs and keeps the Principal for it. An
 * embed token's request is held to what such a token may do (auth/embed-scope.ts) before routing.
 */
import { EMBED_TOKEN_QUERY } from "@stepwise/protocol";
import type { MiddlewareHandler } from "hono";
import { authenticate } from "../auth/authenticate.js";
import { assertEmbedRequest } from "../auth/embed-scope.js";
import { trustsLoopback } from "../auth/loopback.js";
import type { AppDeps, AppEnv } from "./app-env.js";

export function authMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const trustLoopback = trustsLoopback(deps.config);
  return async (c, next) => {
    const method = c.req.method.toUpperCase();
    const url = new URL(c.req.url);
    const principal = await authenticate(deps.store, {
      authorization: c.req.header("authorization"),
      remoteAddress: c.env.incoming?.socket.remoteAddress,
      trustLoopback,
      now: deps.now(),
      embedToken:
        method === "GET" || method === "HEAD"
          ? (url.searchParams.get(EMBED_TOKEN_QUERY) ?? undefined)
          : undefined,
      signer: deps.urls,
    });
    if (principal.run !== undefined) assertEmbedRequest(principal.run, method, url.pathname);
    c.set("principal", principal);
    await next();
  };
}
