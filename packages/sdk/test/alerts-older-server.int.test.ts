/**
 * A server from before alerts: in front of a real server, a real HTTP proxy answers every ingest
 * batch that holds an `alert` record as such a server does (400 INVALID_DATA: the meta record's
 * kind is unknown) and passes everything else through. The uploader sets the alert aside alone
 * (quarantine.jsonl) and the server still gets every row, the config change and the exit, all
 * compared with what the test logged.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { loadConfig, startServer } from "@stepwise/server";
import { Api, init } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The proxy: refuses batches with an alert record, forwards the rest to `target`. */
async function olderServer(target: string): Promise<{ url: string; refused: number[] }> {
  const refused: number[] = [];
  const proxy: Server = createServer((request, response) => {
    void (async () => {
      const raw = await body(request);
      const text = (request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString(
        "latin1",
      );
      if (request.method === "POST" && text.includes('"t":"alert"')) {
        refused.push(Date.now());
        response.writeHead(400, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            error: {
              code: "INVALID_DATA",
              message:
                "meta.records.0.t: Invalid discriminator value. Expected 'config' | 'metric' | 'summary' | 'run-update'",
            },
          }),
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          ([k, v]) => typeof v === "string" && !["host", "content-length", "connection"].includes(k),
        ),
      ) as Record<string, string>;
      const answer = await fetch(target + (request.url ?? ""), {
        method: request.method ?? "GET",
        headers,
        ...(raw.length > 0 ? { body: raw } : {}),
      });
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, refused };
}

describe("an alert sent to a server from before alerts", () => {
  it("is set aside alone; every row, the config change and the exit still arrive", async () => {
    const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: tempDir() }), {
      log: () => undefined,
    });
    cleanups.push(() => server.close());
    const older = await olderServer(server.url);
    const run = await init({
      dir: tempDir(),
      baseUrl: older.url,
      project: "older",
      settings: { silent: true },
    });
    for (let step = 0; step < 20; step++) {
      run.log({ loss: 1 / (step + 1) });
      if (step === 10) {
        run.alert({ title: "Halfway", text: "step 10", level: "INFO" });
        run.config.update({ phase: "second half" });
      }
    }
    await run.finish();
    expect(older.refused.length).toBeGreaterThan(0);
    const setAside = readFileSync(join(run.dir, "quarantine.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map(
        (line) =>
          parseExtended(line) as { kind: string; status: number; record: { t: string; title?: string } },
      );
    expect(setAside.map((q) => [q.kind, q.status, q.record.title])).toEqual([["alert", 400, "Halfway"]]);
    const stored = await new Api({ baseUrl: server.url }).run(run.path);
    expect(stored.state).toBe("finished");
    expect(stored.config).toMatchObject({ phase: "second half" });
    const history = await stored.history({ keys: ["loss"] });
    expect(history.map((row) => row["loss"])).toEqual(
      Array.from({ length: 20 }, (_, step) => 1 / (step + 1)),
    );
    const alerts = (await (await fetch(`${server.url}/api/v1/alerts`)).json()) as { alerts: unknown[] };
    expect(alerts.alerts).toEqual([]);
  }, 60_000);
});
