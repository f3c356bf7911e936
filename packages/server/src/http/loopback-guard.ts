/**
 * Installed when the server trusts loopback: every request must name the server by a loopback
 * Host, and a state-changing one must come from the server's own origin or from no browser at
 * all (rules in auth/loopback-request-rules.ts). Runs before authentication and before the web
 * UI's files, so a refused request touches nothing.
 */
import { AuthError } from "@stepwise/protocol";
import type { MiddlewareHandler } from "hono";
import { crossOriginProblem, loopbackHostProblem } from "../auth/loopback-request-rules.js";
import type { AppDeps, AppEnv } from "./app-env.js";

export function loopbackGuard(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.env.incoming;
    // The port the connection really reached (the config may say 0: "pick a free one").
    const serverPort = incoming?.socket.localPort ?? deps.config.port;
    const host = incoming?.headers.host ?? c.req.header("host");
    const problem =
      loopbackHostProblem(host, serverPort) ??
      crossOriginProblem({
        method: c.req.method,
        host: host ?? "",
        origin: c.req.header("origin"),
        secFetchSite: c.req.header("sec-fetch-site"),
      });
    if (problem !== null) throw new AuthError("FORBIDDEN", problem);
    await next();
  };
}
