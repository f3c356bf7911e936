/**
 * Starts a real server on 127.0.0.1 and a free port over a fresh temp data directory, and sends
 * it requests: `fetch` for ordinary ones, `rawRequest` for bytes that `fetch` would refuse or
 * normalise (literal `..`, odd headers). Dispose it with `await using`. In the "postgres" test
 * tier (vitest.config.ts) the server stores its data in a fresh database on the tier's
 * PostgreSQL cluster instead of the data directory's SQLite file; a restart on the same data
 * directory finds the same database again.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { inject } from "vitest";
import { apiPaths, stringifyExtended, type IngestBatch, type RunRef } from "@stepwise/protocol";
import { loadConfig, startServer, type ConfigFlags, type RunningServer } from "../src/index.js";

export interface TestServer extends AsyncDisposable {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** The PostgreSQL database the server stores into (the "postgres" tier, or `flags.database`). */
  database: string | undefined;
  adminKey: string;
  logs: string[];
  /** fetch against the server; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs/PUTs/PATCHes a body as extended JSON; `gzip` compresses it. */
  send(
    method: string,
    path: string,
    body: unknown,
    options?: { gzip?: boolean; key?: string },
  ): Promise<Response>;
  ingest(ref: RunRef, batch: IngestBatch): Promise<Response>;
  /** Stops the server but keeps the data directory (for restarts). */
  stop(): Promise<void>;
}

export async function startTestServer(flags: ConfigFlags = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "stepwise-http-")));
  const database = flags.database ?? (await tierDatabase(dir));
  const config = loadConfig(
    { port: 0, host: "127.0.0.1", data: dir, ...flags, ...(database === undefined ? {} : { database }) },
    {},
  );
  const logs: string[] = [];
  const server = await startServer(config, { log: (line) => logs.push(line) });
  const adminKey = readFileSync(join(dir, "admin-key"), "utf8").trim();
  const doFetch = (path: string, init?: RequestInit): Promise<Response> => fetch(server.url + path, init);
  const send: TestServer["send"] = (method, path, body, options = {}) => {
    const text = typeof body === "string" ? body : stringifyExtended(body);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.gzip === true) headers["content-encoding"] = "gzip";
    if (options.key !== undefined) headers["authorization"] = `Bearer ${options.key}`;
    return doFetch(path, { method, headers, body: options.gzip === true ? gzipSync(text) : text });
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    stopped = true;
    await server.close();
  };
  return {
    server,
    url: server.url,
    dataDir: dir,
    database,
    adminKey,
    logs,
    fetch: doFetch,
    send,
    ingest: (ref, batch) => send("POST", apiPaths.ingest(ref), batch),
    stop,
    async [Symbol.asyncDispose]() {
      if (!stopped) await server.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The "postgres" tier's database of data directory `dir` (new on its first server); none elsewhere. */
const tierDatabases = new Map<string, string>();
async function tierDatabase(dir: string): Promise<string | undefined> {
  const adminUrl = inject("postgresAdminUrl") as string | undefined;
  if (adminUrl === undefined) return undefined;
  const known = tierDatabases.get(dir);
  if (known !== undefined) return known;
  // Random, not a counter: a worker evaluates this module again for each file it runs.
  const name = `http_${randomBytes(8).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  tierDatabases.set(dir, url.href);
  return url.href;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 request with the path and headers exactly as given. */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, method: options.method ?? "GET", path: options.path, headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A history batch of `count` rows from `offset`, with `_step` = offset + i. */
export function historyBatch(
  offset: number,
  count: number,
  extra: Record<string, unknown> = {},
): IngestBatch {
  const rows = Array.from({ length: count }, (_, i) => ({
    _step: offset + i,
    _runtime: (offset + i) / 10,
    _timestamp: 1_700_000_000 + offset + i,
    loss: 1 / (offset + i + 1),
    train: { acc: (offset + i) / 1000 },
    ...extra,
  }));
  return { history: { offset, rows } };
}
