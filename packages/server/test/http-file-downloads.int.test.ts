/**
 * Downloads of run files and signed URLs through a real server: HEAD, ETag = "sha256" with
 * If-None-Match → 304, Range → 206 with Content-Range (416 past the end), the safety headers
 * that keep a browser from running a file as this origin's page; signed upload and download
 * URLs work without credentials, and a changed or expired one is a 403 saying which.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { UrlSigner } from "../src/blob/url-signer.js";
import { historyBatch, startTestServer } from "./http-harness.js";
import { declare, errorOf, putPart, sha256 } from "./support/file-uploads.js";

const ref: RunRef = { entity: "local", project: "p", runId: "downloads" };

describe("run file downloads", () => {
  test("HEAD, ETag and 304, ranges (206, suffix, open-ended, 416), safety headers", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const bytes = randomBytes(10_000);
    const path = apiPaths.file(ref, "video/clip.mp4");
    expect(
      (await t.fetch(path, { method: "PUT", headers: { "content-type": "video/mp4" }, body: bytes })).status,
    ).toBe(201);
    const etag = `"${sha256(bytes)}"`;

    const head = await t.fetch(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Object.fromEntries(head.headers)).toMatchObject({
      "content-length": "10000",
      etag,
      "accept-ranges": "bytes",
      "content-type": "video/mp4",
      "content-security-policy": "sandbox",
      "x-content-type-options": "nosniff",
    });
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const whole = await t.fetch(path);
    expect(whole.headers.get("etag")).toBe(etag);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const notModified = await t.fetch(path, { headers: { "if-none-match": `W/"x", ${etag}` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await t.fetch(path, { headers: { "if-none-match": '"other"' } })).status).toBe(200);

    const ranges: Array<[string, number, number]> = [
      ["bytes=100-199", 100, 199],
      ["bytes=9990-", 9990, 9999],
      ["bytes=-10", 9990, 9999],
      ["bytes=9000-20000", 9000, 9999],
      ["bytes=0-0", 0, 0],
    ];
    for (const [range, start, end] of ranges) {
      const part = await t.fetch(path, { headers: { range } });
      expect(part.status, range).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes ${start}-${end}/10000`);
      expect(part.headers.get("content-length")).toBe(String(end - start + 1));
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }
    const past = await t.fetch(path, { headers: { range: "bytes=10000-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */10000");
    // If-Range with another tag: the whole file, not the range.
    const stale = await t.fetch(path, { headers: { range: "bytes=0-9", "if-range": '"old"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(10_000);
    // Replaced content: a new ETag.
    await t.fetch(path, { method: "PUT", body: Buffer.from("new") });
    expect((await t.fetch(path, { headers: { "if-none-match": etag } })).status).toBe(200);
    expect((await t.fetch(apiPaths.file(ref, "missing.bin"), { method: "HEAD" })).status).toBe(404);
    expect((await t.fetch(apiPaths.file({ ...ref, runId: "nope" }, "a"))).status).toBe(404);
  });
});

describe("signed URLs", () => {
  test("work without credentials; a changed or expired one is a 403 that says so", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const auth = { authorization: `Bearer ${t.adminKey}` };
    await t.send("POST", apiPaths.ingest(ref), historyBatch(0, 1), { key: t.adminKey });
    const bytes = randomBytes(5_000);
    // Without a key the declaration is refused, and with one it gives a URL that needs none.
    expect((await fetch(t.url + apiPaths.fileUploads(ref), { method: "POST" })).status).toBe(401);
    const answer = await declare(t.url, ref, { path: "a.bin", bytes }, auth);
    if (answer.status !== "upload") throw new Error("expected an upload");
    expect((await putPart(t.url, answer.uploadUrl, bytes, 0, 1_000)).status).toBe(200);

    const tampered = [
      answer.uploadUrl.replace(/signature=./, (m) => `${m.slice(0, -1)}${m.endsWith("A") ? "B" : "A"}`),
      answer.uploadUrl.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 1}`),
      answer.uploadUrl.replace(/&signature=.*/, ""),
    ];
    for (const url of tampered) {
      const refused = await errorOf(await putPart(t.url, url, bytes, 1_000, 1_000));
      expect(refused, url).toMatchObject({ status: 403, code: "FORBIDDEN", details: { reason: "invalid" } });
    }
    const signer = await UrlSigner.forDataDir(t.dataDir);
    const expired = signer.url("upload", answer.uploadId, Date.now() / 1000 - 1);
    const expiredError = await errorOf(await putPart(t.url, expired, bytes, 1_000, 1_000));
    expect(expiredError).toMatchObject({
      status: 403,
      code: "FORBIDDEN",
      details: { reason: "expired" },
    });
    expect(expiredError.message).toContain("declare the file again");
    const head = await fetch(t.url + answer.uploadUrl, { method: "HEAD" });
    expect(head.headers.get("upload-offset")).toBe("1000");
    const last = await putPart(t.url, answer.uploadUrl, bytes, 1_000, 4_000);
    expect(await last.json()).toMatchObject({ status: "stored" });

    const download = signer.url("download", sha256(bytes), Date.now() / 1000 + 60);
    const got = await fetch(t.url + download);
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(`"${sha256(bytes)}"`);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    const ranged = await fetch(t.url + download, { headers: { range: "bytes=10-19" } });
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    const otherBlob = download.replace(sha256(bytes), sha256(Buffer.from("other")));
    expect(await errorOf(await fetch(t.url + otherBlob))).toMatchObject({
      status: 403,
      details: { reason: "invalid" },
    });
    const old = signer.url("download", sha256(bytes), Date.now() / 1000 - 5);
    expect(await errorOf(await fetch(t.url + old))).toMatchObject({
      status: 403,
      details: { reason: "expired" },
    });
    // An upload signature is no download signature.
    const swapped = `/api/v1/blobs/${answer.uploadId}${answer.uploadUrl.slice(answer.uploadUrl.indexOf("?"))}`;
    expect((await fetch(t.url + swapped)).status).toBe(403);
    // The run file itself still needs the key.
    expect((await fetch(t.url + apiPaths.file(ref, "a.bin"))).status).toBe(401);
    expect((await fetch(t.url + apiPaths.file(ref, "a.bin"), { headers: auth })).status).toBe(200);
  });
});
