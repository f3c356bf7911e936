/**
 * PUTs to one run file path at the same time, through a real server: whichever lands last, the
 * stored record (size, sha256) describes the bytes a download then gives, and the answer of
 * one of the PUTs describes them too. Each PUT records then replaces; two must not interleave.
 */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiPaths, fileListResponseSchema, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "p", runId: "puts" };
/** Rounds of PUTs to a fresh path, and PUTs per round (before the fix, every run failed within 40). */
const ROUNDS = 40;
const PUTS = 16;
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("concurrent PUTs to one file path", () => {
  test(`leave a record that matches the stored bytes (${ROUNDS} rounds of ${PUTS} PUTs)`, async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    for (let round = 0; round < ROUNDS; round++) {
      const path = `media/race-${round}.bin`;
      // Small bodies: the writes finish close together, in any order.
      const bodies = Array.from({ length: PUTS }, (_, i) => Buffer.from(`round ${round}, body ${i}`));
      const answers = await Promise.all(
        bodies.map(async (body) => {
          const put = await t.fetch(apiPaths.file(ref, path), { method: "PUT", body });
          expect(put.status).toBe(201);
          const { size, sha256: hash } = (await put.json()) as { size: number; sha256: string };
          return { size, sha256: hash };
        }),
      );
      const { files } = fileListResponseSchema.parse(await (await t.fetch(apiPaths.files(ref))).json());
      const record = files.find((file) => file.path === path);
      const stored = new Uint8Array(await (await t.fetch(apiPaths.file(ref, path))).arrayBuffer());
      expect({ size: record?.size, sha256: record?.sha256 }).toEqual({
        size: stored.length,
        sha256: sha256(stored),
      });
      // The stored bytes are one of the bodies sent, and its PUT was answered with that record.
      expect(bodies.map(sha256)).toContain(sha256(stored));
      expect(answers).toContainEqual({ size: stored.length, sha256: sha256(stored) });
    }
  });
});
