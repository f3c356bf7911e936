/**
 * A tiny round-robin HTTP load balancer for fleet tests: each request goes to the next API
 * server in turn, so one run's batches land on every server. A server that refuses the
 * connection (killed) is passed over for the next, as a load balancer's health check would; a
 * server that dies while answering yields 502, and the client retries. Every status answered is
 * kept, so a test can say what clients saw during a fault.
 */
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface FleetProxy {
  url: string;
  /** Each response's status, in the order answered (502: the server died mid-request). */
  statuses: number[];
  /** Responses each backend gave, by its index in `backends`. */
  served: number[];
  close(): Promise<void>;
}

export async function startFleetProxy(backends: readonly string[]): Promise<FleetProxy> {
  let next = 0;
  const statuses: number[] = [];
  const served = backends.map(() => 0);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const first = next++ % backends.length;
      const attempt = (tried: number): void => {
        const which = (first + tried) % backends.length;
        const target = new URL(backends[which] as string);
        // The server's own Host (a loopback-trusting server answers only to its own address).
        const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
        const forward = request(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
          (answer) => {
            statuses.push(answer.statusCode ?? 0);
            served[which] = (served[which] ?? 0) + 1;
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
            answer.on("error", () => outgoing.destroy());
          },
        );
        forward.on("error", (error: NodeJS.ErrnoException) => {
          if (outgoing.headersSent) return void outgoing.destroy();
          if (error.code === "ECONNREFUSED" && tried + 1 < backends.length) return attempt(tried + 1);
          statuses.push(502);
          outgoing.writeHead(502, { "content-type": "text/plain" }).end(`proxy: ${error.message}`);
        });
        forward.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    statuses,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
