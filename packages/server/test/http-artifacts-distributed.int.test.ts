/**
 * Distributed artifact routes through a real server: upserts answer `pending` with every
 * writer's count and nothing is listed until the finish; an entry whose content the server lacks
 * is 409 CONTENT_MISSING (nothing added); a path twice in one body is 400 naming it; a clash is
 * 409 ARTIFACT_CONFLICT with `details.path`; the finish is 201 once and 200 with the same
 * version after; a finish with nothing upserted is 404; a discarded distributedId starts afresh.
 */
import { describe, expect, test } from "vitest";
import {
  artifactPaths,
  type ArtifactCommitResponse,
  type ArtifactUpsertRequest,
  type ArtifactUpsertResponse,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { errorOf, sha256, uploadFile } from "./support/file-uploads.js";

const writer: RunRef = { entity: "local", project: "p", runId: "rank0" };
const upsertUrl = artifactPaths.distributed("local", "p", "shards");
const finishUrl = artifactPaths.distributedFinish("local", "p", "shards");

async function held(t: TestServer, path: string, text: string): Promise<ManifestEntry> {
  const bytes = Buffer.from(text);
  await uploadFile(t.url, writer, { path: `held/${path}`, bytes });
  return { path, sha256: sha256(bytes), size: bytes.length };
}

const upsert = (
  entries: ManifestEntry[],
  extra: Partial<ArtifactUpsertRequest> = {},
): ArtifactUpsertRequest => ({
  type: "dataset",
  distributedId: "job-1",
  entries,
  run: writer,
  ...extra,
});
const finish = { type: "dataset", distributedId: "job-1", run: { ...writer, runId: "rank1" } };

describe("distributed artifact routes", () => {
  test("upserts, conflicts and bad input, then one finish: 201 once, the same version after", async () => {
    await using t = await startTestServer();
    await t.ingest(writer, historyBatch(0, 1));
    const a = await held(t, "a.txt", "a");
    const b = await held(t, "b.txt", "b");
    const first = await t.send("POST", upsertUrl, upsert([a], { aliases: ["best"] }));
    expect(first.status).toBe(200);
    expect((await first.json()) as ArtifactUpsertResponse).toEqual({
      status: "pending",
      distributedId: "job-1",
      fileCount: 1,
      version: null,
    });
    const absent: ManifestEntry = { path: "c.txt", sha256: sha256(Buffer.from("never sent")), size: 10 };
    expect(await errorOf(await t.send("POST", upsertUrl, upsert([b, absent])))).toMatchObject({
      status: 409,
      code: "CONTENT_MISSING",
      details: { missing: [absent.sha256] },
    });
    expect(await errorOf(await t.send("POST", upsertUrl, upsert([b, b])))).toMatchObject({ status: 400 });
    const second = (await (await t.send("POST", upsertUrl, upsert([b, a]))).json()) as ArtifactUpsertResponse;
    expect(second.fileCount).toBe(2); // b added, a the same content: no conflict, no second entry
    const before = (await (await t.fetch(artifactPaths.versions("local", "p", "shards"))).json()) as {
      versions: ArtifactVersionDto[];
    };
    expect(before.versions).toEqual([]);
    expect((await t.fetch(artifactPaths.version("local", "p", "shards", "latest"))).status).toBe(404);

    const created = await t.send("POST", finishUrl, finish);
    expect(created.status).toBe(201);
    const version = ((await created.json()) as ArtifactCommitResponse).version;
    expect(version).toMatchObject({ version: "v0", fileCount: 2, aliases: ["latest", "best"] });
    expect(version.producer).toEqual({ ...writer, runId: "rank1" });
    const again = await t.send("POST", finishUrl, finish);
    expect(again.status).toBe(200);
    expect((await again.json()) as ArtifactCommitResponse).toEqual({ status: "unchanged", version });
    const listed = (await (await t.fetch(artifactPaths.versions("local", "p", "shards"))).json()) as {
      versions: ArtifactVersionDto[];
    };
    expect(listed.versions.map((v) => v.version)).toEqual(["v0"]);
  });

  test("a clash is 409 ARTIFACT_CONFLICT naming the path, and the finish too; nothing upserted is 404", async () => {
    await using t = await startTestServer();
    await t.ingest(writer, historyBatch(0, 1));
    expect(await errorOf(await t.send("POST", finishUrl, finish))).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
    });
    const one = await held(t, "model.bin", "one");
    const two = { ...(await held(t, "other", "two")), path: "model.bin" };
    expect((await t.send("POST", upsertUrl, upsert([one]))).status).toBe(200);
    expect(await errorOf(await t.send("POST", upsertUrl, upsert([two])))).toMatchObject({
      status: 409,
      code: "ARTIFACT_CONFLICT",
      details: { path: "model.bin" },
    });
    expect(await errorOf(await t.send("POST", finishUrl, finish))).toMatchObject({
      status: 409,
      code: "ARTIFACT_CONFLICT",
      details: { path: "model.bin" },
    });
    expect((await t.fetch(artifactPaths.version("local", "p", "shards", "latest"))).status).toBe(404);
    // Discarded, the distributedId starts afresh.
    const discarded = await t.send("DELETE", `${upsertUrl}/job-1`, undefined);
    expect(await discarded.json()).toEqual({ state: "pending", fileCount: 1 });
    expect((await t.send("POST", upsertUrl, upsert([two]))).status).toBe(200);
    expect((await t.send("POST", finishUrl, finish)).status).toBe(201);
    expect((await t.send("DELETE", `${upsertUrl}/job-2`, undefined)).status).toBe(404);
  });
});
