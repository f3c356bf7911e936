/**
 * Graceful shutdown: `close()` stops accepting, lets requests in flight finish, then closes the
 * store. Every ingest the server acknowledged is there after a restart on the same data.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { apiPaths, runDtoSchema, parseExtended, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";

const ROWS = 5000;

test("close() finishes requests in flight; everything acknowledged survives a restart", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-shutdown-"));
  try {
    const first = await startTestServer({}, dir);
    const refs: RunRef[] = Array.from({ length: 40 }, (_, i) => ({
      entity: "local",
      project: "p",
      runId: `r${i}`,
    }));
    let closeCalledAt = Number.POSITIVE_INFINITY;
    const sent = refs.map((ref) =>
      first.ingest(ref, historyBatch(0, ROWS)).then(
        (response) => ({ ref, status: response.status, at: performance.now() }),
        () => ({ ref, status: 0, at: performance.now() }),
      ),
    );
    // Close once the server is busy: the first answer is in, the other 39 batches are queued.
    await Promise.race(sent);
    closeCalledAt = performance.now();
    await first.stop();
    const results = await Promise.all(sent);
    const accepted = results.filter((result) => result.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 200 || result.status === 0)).toBe(true);
    // Some were still in flight when close() was called, and were answered, not cut off.
    expect(accepted.some((result) => result.at > closeCalledAt)).toBe(true);

    await using second = await startTestServer({}, dir);
    for (const { ref } of accepted) {
      const run = runDtoSchema.parse(parseExtended(await (await second.fetch(apiPaths.run(ref))).text()));
      expect(run.offsets.history).toBe(ROWS);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("after close() the port refuses new requests", async () => {
  const t = await startTestServer();
  await t.stop();
  await expect(fetch(t.url + apiPaths.viewer())).rejects.toThrow();
  await t[Symbol.asyncDispose]();
});
