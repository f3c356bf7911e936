/** Payload limits: 413 for bodies over the limit, as sent or after gzip decoding; bad gzip is a 400. */
import { gzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { apiPaths, stringifyExtended, type RunRef } from "@stepwise/protocol";
import { historyBatch, rawRequest, startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };
const LIMITS = { maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 };

test("a body over the limit is a 413 that names the limit, and nothing is stored", async () => {
  await using t = await startTestServer(LIMITS);
  const big = stringifyExtended(historyBatch(0, 2000));
  expect(big.length).toBeGreaterThan(LIMITS.maxBodyBytes);
  const response = await t.send("POST", apiPaths.ingest(ref), big);
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  expect((await t.fetch(apiPaths.run(ref))).status).toBe(404);
});

test("a chunked body without Content-Length is cut off at the limit too", async () => {
  await using t = await startTestServer(LIMITS);
  const body = Buffer.alloc(LIMITS.maxBodyBytes * 2, 0x20);
  const response = await rawRequest(t.url, {
    method: "POST",
    path: apiPaths.ingest(ref),
    headers: { "transfer-encoding": "chunked", "content-type": "application/json" },
    body,
  }).catch((error: unknown) => ({ status: 413, error }));
  expect(response.status).toBe(413);
  expect((await t.fetch(apiPaths.viewer())).status).toBe(200);
});

test("a gzip body that decodes past the decompressed limit is a 413 (gzip bomb)", async () => {
  await using t = await startTestServer(LIMITS);
  const bomb = gzipSync(Buffer.alloc(LIMITS.maxDecompressedBytes * 4, 0x20));
  expect(bomb.length).toBeLessThan(LIMITS.maxBodyBytes);
  const response = await t.fetch(apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-encoding": "gzip", "content-type": "application/json" },
    body: bomb,
  });
  expect(response.status).toBe(413);
  expect(await response.text()).toContain("after gzip decoding");
});

test("a body that is not gzip but says so is a 400; an unknown encoding too", async () => {
  await using t = await startTestServer(LIMITS);
  const headers = { "content-encoding": "gzip", "content-type": "application/json" };
  expect((await t.fetch(apiPaths.ingest(ref), { method: "POST", headers, body: "{}" })).status).toBe(400);
  const br = await t.fetch(apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-encoding": "br", "content-type": "application/json" },
    body: "{}",
  });
  expect(br.status).toBe(400);
  expect(await br.text()).toContain("Content-Encoding");
});

test("a gzip body within the limits is accepted", async () => {
  await using t = await startTestServer(LIMITS);
  const body = gzipSync(stringifyExtended(historyBatch(0, 1000)));
  const response = await t.fetch(apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-encoding": "gzip", "content-type": "application/json" },
    body,
  });
  expect(response.status).toBe(200);
});
