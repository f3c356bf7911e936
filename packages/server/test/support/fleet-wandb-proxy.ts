/**
 * A round-robin HTTP proxy over a fleet of API servers for the W&B fleet test
 * (fleet-wandb.int.test.ts), as support/fleet-proxy.ts but with a hook that sees each request
 * before it is forwarded and may hold it (restart a server meanwhile) and name the server that
 * answers it; the servers' URLs may change (a restarted server listens on a new port). A server
 * that refuses the connection is passed over for the next. Each request's status and server are
 * kept.
 */
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardedRequest {
  method: string;
  path: string;
  body: string;
}

/** Called before a request is forwarded: the index of the server that must answer it, or null. */
export type ForwardHook = (forwarded: ForwardedRequest) => Promise<number | null>;

export interface WandbFleetProxy {
  url: string;
  /** The servers' URLs, by index; a test replaces one it restarted. */
  backends: string[];
  /** Each request forwarded: its server, status and the request (bodies of GraphQL requests only). */
  log: Array<{ server: number; status: number; request: ForwardedRequest }>;
  close(): Promise<void>;
}

export async function startWandbFleetProxy(backends: string[], hook: ForwardHook): Promise<WandbFleetProxy> {
  let next = 0;
  const log: WandbFleetProxy["log"] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = incoming.url ?? "/";
      const seen = {
        method: incoming.method ?? "GET",
        path,
        body: path === "/graphql" ? body.toString() : "",
      };
      void hook(seen).then((forced) => {
        const first = forced ?? next++ % backends.length;
        const attempt = (tried: number): void => {
          const which = (first + tried) % backends.length;
          const target = new URL(backends[which] as string);
          // The server's own Host (a loopback-trusting server answers only to its own address).
          const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
          const forward = request(
            { host: target.hostname, port: target.port, method: incoming.method, path, headers },
            (answer) => {
              log.push({ server: which, status: answer.statusCode ?? 0, request: seen });
              outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(outgoing);
              answer.on("error", () => outgoing.destroy());
            },
          );
          forward.on("error", (error: NodeJS.ErrnoException) => {
            if (outgoing.headersSent) return void outgoing.destroy();
            if (error.code === "ECONNREFUSED" && forced === null && tried + 1 < backends.length)
              return attempt(tried + 1);
            log.push({ server: which, status: 502, request: seen });
            outgoing.writeHead(502, { "content-type": "text/plain" }).end(`proxy: ${error.message}`);
          });
          forward.end(body);
        };
        attempt(0);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
