/** The server's instance id: one per store, kept across restarts, new for a new data directory, in GET /viewer and every ingest answer. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { apiPaths, ingestResponseSchema, viewerResponseSchema, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

async function serverId(t: TestServer): Promise<string | undefined> {
  return viewerResponseSchema.parse(await (await t.fetch(apiPaths.viewer())).json()).serverId;
}

describe("server instance id", () => {
  test("is kept across restarts and in a copy of the data directory, and differs for a new one", async () => {
    await using first = await startTestServer();
    const id = await serverId(first);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const ingest = await first.fetch(apiPaths.ingest(ref), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(historyBatch(0, 3)),
    });
    expect(ingestResponseSchema.parse(await ingest.json()).serverId).toBe(id);
    await first.stop();
    const parent = mkdtempSync(join(tmpdir(), "stepwise-copy-"));
    const copy = join(parent, "data");
    try {
      cpSync(first.dataDir, copy, { recursive: true });
      await using again = await startTestServer({}, first.dataDir);
      expect(await serverId(again)).toBe(id);
      await using restored = await startTestServer({}, copy);
      expect(await serverId(restored)).toBe(id);
      await using other = await startTestServer();
      expect(await serverId(other)).not.toBe(id);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
