/**
 * A real HTTP server on 127.0.0.1 for artifact reference tests: it serves the files a test puts
 * (`put(path, bytes)`) with a strong ETag (the sha256 of the bytes, or one the test chose), HEAD
 * and GET; a path may refuse HEAD (405), send no ETag, or redirect (302). Anything else is 404.
 * `requests` records each request's method and path, so a test can tell what was asked.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";

export interface ServedFile {
  bytes: Buffer;
  /** The ETag header, quotes included (default: `"<sha256 of bytes>"`); null: none sent. */
  etag?: string | null;
  refuseHead?: boolean;
  /** Answer 302 to this path instead. */
  redirectTo?: string;
}

export interface ReferenceHttpServer {
  url: string;
  put(path: string, file: ServedFile): void;
  /** The ETag the server sends for `path`, quotes included. */
  etagOf(path: string): string | null;
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

export async function startReferenceHttpServer(): Promise<ReferenceHttpServer> {
  const files = new Map<string, ServedFile>();
  const requests: Array<{ method: string; path: string }> = [];
  const etagOf = (path: string): string | null => {
    const file = files.get(path);
    if (file === undefined) return null;
    if (file.etag !== undefined) return file.etag;
    return `"${createHash("sha256").update(file.bytes).digest("hex")}"`;
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const method = request.method ?? "GET";
    requests.push({ method, path });
    const file = files.get(path);
    if (file === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (file.redirectTo !== undefined) {
      response.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    if (method === "HEAD" && file.refuseHead === true) {
      response.writeHead(405, { allow: "GET" }).end();
      return;
    }
    const etag = etagOf(path);
    response.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": String(file.bytes.length),
      ...(etag === null ? {} : { etag }),
    });
    response.end(method === "HEAD" ? undefined : file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    put: (path, file) => files.set(path, file),
    etagOf,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
