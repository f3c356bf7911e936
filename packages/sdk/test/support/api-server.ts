/**
 * A real Stepwise server on 127.0.0.1 and a free port, over a fresh temp data directory, for
 * the `Api` client's tests (SDK and CLI). Data goes in as the SDK's uploader would send it:
 * IngestBatch bodies POSTed to the ingest endpoint, so these tests need no uploader.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiPaths, stringifyExtended, type IngestBatch, type RunRef } from "@stepwise/protocol";
import { loadConfig, startServer, type RunningServer } from "@stepwise/server";

export interface TestServer {
  url: string;
  server: RunningServer;
  /** POSTs one ingest batch; throws unless the server accepts it. */
  ingest(ref: RunRef, batch: IngestBatch): Promise<void>;
  /** Uploads a run file (PUT), as the SDK's `save()` does. */
  putFile(ref: RunRef, path: string, bytes: Uint8Array | string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(flags: { trustLoopback?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-api-"));
  const config = loadConfig({ port: 0, host: "127.0.0.1", data: dataDir, ...flags });
  const server = await startServer(config, { log: () => undefined });
  const send = async (
    method: string,
    path: string,
    body: string | Uint8Array,
    type: string,
  ): Promise<void> => {
    const response = await fetch(server.url + path, { method, body, headers: { "content-type": type } });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    await response.body?.cancel();
  };
  return {
    url: server.url,
    server,
    ingest: (ref, batch) => send("POST", apiPaths.ingest(ref), stringifyExtended(batch), "application/json"),
    putFile: (ref, path, bytes) => send("PUT", apiPaths.file(ref, path), bytes, "application/octet-stream"),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` history rows `{ _step, _runtime, _timestamp, ...values(step) }` from step `from`. */
export function historyRows(
  count: number,
  values: (step: number) => Record<string, unknown>,
  from = 0,
): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    const step = from + i;
    return { _step: step, _runtime: step / 10, _timestamp: 1_700_000_000 + step / 10, ...values(step) };
  });
}
