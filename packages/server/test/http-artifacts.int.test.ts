/**
 * Artifact routes through a real server: a version is committed only when the server holds
 * every stored entry's content (409 CONTENT_MISSING naming the sha256s otherwise, nothing
 * committed), re-committing the same content answers the same version, the manifest comes back
 * in one request with download URLs whose bytes are the ones uploaded, aliases move, lineage
 * is recorded both ways, and bad input is a 4xx naming the field.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  artifactPaths,
  fileUploadResponseSchema,
  manifestDigestText,
  type ArtifactCommitRequest,
  type ArtifactCommitResponse,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { errorOf, putPart, sha256, uploadFile } from "./support/file-uploads.js";

const producer: RunRef = { entity: "local", project: "p", runId: "train" };
const base = "/api/v1/artifacts/local/p";

function commitBody(
  entries: ManifestEntry[],
  extra: Partial<ArtifactCommitRequest> = {},
): ArtifactCommitRequest {
  return {
    type: "model",
    manifest: { version: 1, entries },
    digest: sha256(Buffer.from(manifestDigestText(entries))),
    run: producer,
    ...extra,
  };
}

/** Puts bytes on the server through a run file (content-addressed: the blob is shared). */
async function holdContent(t: TestServer, path: string, bytes: Buffer): Promise<ManifestEntry> {
  await uploadFile(t.url, producer, { path: `held/${path}`, bytes });
  return { path, sha256: sha256(bytes), size: bytes.length };
}

describe("artifact routes", () => {
  test("commit, unchanged re-commit, manifest with download URLs of the uploaded bytes, aliases, lineage", async () => {
    await using t = await startTestServer();
    await t.ingest(producer, historyBatch(0, 1));
    const weights = randomBytes(200_000);
    const config = Buffer.from('{"layers": 4}');
    const entries = [
      await holdContent(t, "weights.bin", weights),
      await holdContent(t, "config.json", config),
    ];

    const created = await t.send(
      "POST",
      `${base}/resnet/versions`,
      commitBody(entries, { aliases: ["best"] }),
    );
    expect(created.status).toBe(201);
    const first = (await created.json()) as ArtifactCommitResponse;
    expect(first).toMatchObject({
      status: "created",
      version: { name: "resnet", type: "model", version: "v0", aliases: ["latest", "best"], fileCount: 2 },
    });
    expect(first.version.size).toBe(weights.length + config.length);
    expect(first.version.producer).toEqual(producer);

    const again = await t.send("POST", `${base}/resnet/versions`, commitBody([...entries].reverse()));
    expect(again.status).toBe(200);
    expect(((await again.json()) as ArtifactCommitResponse).status).toBe("unchanged");

    const manifest = (await (await t.fetch(`${base}/resnet/best/manifest`)).json()) as {
      version: ArtifactVersionDto;
      entries: Array<ManifestEntry & { url?: string }>;
      next: string | null;
    };
    expect(manifest.version.version).toBe("v0");
    expect(manifest.entries.map((e) => e.path)).toEqual(["config.json", "weights.bin"]);
    expect(manifest.next).toBeNull();
    for (const entry of manifest.entries) {
      // Signed: fetched with no credentials at all.
      const body = Buffer.from(await (await fetch(t.url + (entry.url ?? ""))).arrayBuffer());
      expect(body.equals(entry.path === "weights.bin" ? weights : config)).toBe(true);
    }

    const v1Entries = [entries[0] as ManifestEntry, await holdContent(t, "config.json", Buffer.from("{}"))];
    expect((await t.send("POST", `${base}/resnet/versions`, commitBody(v1Entries))).status).toBe(201);
    const moved = await t.send("PUT", `${base}/resnet/v1/aliases`, { aliases: ["best", "production"] });
    expect(((await moved.json()) as ArtifactVersionDto).aliases).toEqual(["latest", "best", "production"]);
    expect(((await (await t.fetch(`${base}/resnet/v0`)).json()) as ArtifactVersionDto).aliases).toEqual([]);
    const versions = (await (await t.fetch(`${base}/resnet/versions`)).json()) as {
      versions: ArtifactVersionDto[];
    };
    expect(versions.versions.map((v) => v.version)).toEqual(["v1", "v0"]);

    const evaluator: RunRef = { ...producer, runId: "eval" };
    expect((await t.send("POST", `${base}/resnet/production/uses`, { run: evaluator })).status).toBe(200);
    const lineage = (await (await t.fetch("/api/v1/runs/local/p/eval/artifacts")).json()) as {
      used: ArtifactVersionDto[];
    };
    expect(lineage.used.map((v) => `${v.name}:${v.version}`)).toEqual(["resnet:v1"]);
    const collections = (await (await t.fetch(`${base}?type=model`)).json()) as { collections: unknown[] };
    expect(collections.collections).toEqual([
      expect.objectContaining({ name: "resnet", type: "model", versionCount: 2, latest: "v1" }),
    ]);
  });

  test("content the server lacks: 409 CONTENT_MISSING naming it, and no version", async () => {
    await using t = await startTestServer();
    await t.ingest(producer, historyBatch(0, 1));
    const held = await holdContent(t, "a.bin", Buffer.from("held"));
    const absent: ManifestEntry = { path: "b.bin", sha256: sha256(Buffer.from("never uploaded")), size: 14 };
    const reference: ManifestEntry = { path: "c", ref: "s3://bucket/c", digest: "etag", size: null };
    const answer = await errorOf(
      await t.send(
        "POST",
        `${base}/data/versions`,
        commitBody([held, absent, reference], { type: "dataset" }),
      ),
    );
    expect(answer).toMatchObject({
      status: 409,
      code: "CONTENT_MISSING",
      details: { missing: [absent.sha256] },
    });
    expect((await t.fetch(`${base}/data/latest`)).status).toBe(404);
    const ok = await t.send(
      "POST",
      `${base}/data/versions`,
      commitBody([held, reference], { type: "dataset" }),
    );
    expect(ok.status).toBe(201);
  });

  test("blob uploads: content tied to no run file goes in resumable parts, then is answered stored at once", async () => {
    await using t = await startTestServer();
    const bytes = randomBytes(300_000);
    const declareBlob = async (body: unknown): Promise<Response> =>
      t.send("POST", artifactPaths.blobUploads("local", "p"), body);
    const first = fileUploadResponseSchema.parse(
      await (await declareBlob({ size: bytes.length, sha256: sha256(bytes) })).json(),
    );
    if (first.status !== "upload") throw new Error("expected an upload");
    expect(first.received).toBe(0);
    const half = 150_000;
    expect((await putPart(t.url, first.uploadUrl, bytes, 0, half)).status).toBe(200);
    // Declared again (a client killed mid-upload): the same upload, from where it was.
    const resumed = fileUploadResponseSchema.parse(
      await (await declareBlob({ size: bytes.length, sha256: sha256(bytes) })).json(),
    );
    expect(resumed).toMatchObject({ status: "upload", uploadId: first.uploadId, received: half });
    const last = await putPart(t.url, first.uploadUrl, bytes, half, bytes.length - half);
    expect(((await last.json()) as { status: string }).status).toBe("stored");
    const again = fileUploadResponseSchema.parse(
      await (await declareBlob({ size: bytes.length, sha256: sha256(bytes) })).json(),
    );
    expect(again.status).toBe("stored");
    // No run holds it: an artifact commits it, and its manifest serves the bytes.
    const entry: ManifestEntry = { path: "data.bin", sha256: sha256(bytes), size: bytes.length };
    const created = await t.send("POST", `${base}/blobby/versions`, commitBody([entry], { run: null }));
    expect(created.status).toBe(201);
    const manifest = (await (await t.fetch(`${base}/blobby/latest/manifest`)).json()) as {
      entries: Array<{ url: string }>;
    };
    const served = Buffer.from(await (await fetch(t.url + (manifest.entries[0]?.url ?? ""))).arrayBuffer());
    expect(served.equals(bytes)).toBe(true);
    expect((await errorOf(await declareBlob({ size: 1, sha256: "x" }))).status).toBe(400);
  });

  test("bad input is a 4xx that names the field", async () => {
    await using t = await startTestServer();
    const entry: ManifestEntry = { path: "x", sha256: sha256(Buffer.from("x")), size: 1 };
    const cases: Array<[string, unknown, number, RegExp]> = [
      [`${base}/bad:name/versions`, commitBody([entry]), 400, /path\.name/],
      [`${base}/m/versions`, commitBody([entry], { aliases: ["v2"] }), 400, /version name/],
      [`${base}/m/versions`, { ...commitBody([entry]), digest: "0".repeat(64) }, 422, /canonical text/],
      [`${base}/m/versions`, commitBody([entry, entry]), 400, /twice/],
      [`${base}/m/versions`, commitBody([{ ...entry, path: "../x" }]), 400, /manifest\.entries/],
    ];
    for (const [path, body, status, message] of cases) {
      const answer = await errorOf(await t.send("POST", path, body));
      expect(answer.status, path).toBe(status);
      expect(`${answer.message} ${JSON.stringify(answer.details ?? {})}`).toMatch(message);
    }
    expect((await errorOf(await t.fetch(`${base}/m/latest`))).status).toBe(404);
  });
});
