/**
 * The Node HTTP server under the app, hardened against slow clients: a request's headers must
 * arrive within `headersTimeoutS` and the whole request within `requestTimeoutS` (else 408 and
 * the connection closes), a connection idle for `idleTimeoutS` is closed, and one remote address
 * holds at most `maxConnectionsPerClient` connections. Node checks the first two only every
 * `connectionsCheckingInterval` (30 s by default), so the check runs at a quarter of the headers
 * timeout, capped at one second.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { capConnectionsPerClient } from "./client-connection-cap.js";
import type { ServerConfig } from "./config.js";

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

export function createHttpServer(
  config: ServerConfig,
  listener: Listener,
  log: (line: string) => void,
): Server {
  const headersTimeout = Math.round(config.headersTimeoutS * 1000);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: Math.round(config.requestTimeoutS * 1000),
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.round(headersTimeout / 4))),
    },
    (req, res) => void listener(req, res),
  );
  // Without a 'timeout' listener, Node destroys a socket that stays idle this long.
  server.setTimeout(Math.round(config.idleTimeoutS * 1000));
  capConnectionsPerClient(server, config.maxConnectionsPerClient, log);
  return server;
}
