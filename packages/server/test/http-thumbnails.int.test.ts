/**
 * Thumbnails through a real server and real sharp: a large image is scaled to fit 256 and 1024
 * pixels (aspect kept), made once (the second request is served from the cache, byte for byte
 * the same), answered with an ETag (304 on If-None-Match) and cached for good under its
 * versioned URL; an image that already fits is served as it is, never upscaled; a file that is
 * not an image is a 400, a file not there yet a 404.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  errorBodySchema,
  mediaPaths,
  mediaQueryResponseSchema,
  THUMBNAIL_CACHE_HEADER,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { imageValue, png } from "./support/media-values.js";

const ref: RunRef = { entity: "local", project: "thumbs", runId: "t" };

async function logImage(t: TestServer, step: number, width: number, height: number): Promise<string> {
  const bytes = await png(width, height, step);
  const value = imageValue("img", step, bytes, width, height);
  await t.ingest(ref, { history: { offset: step, rows: [{ _step: step, img: value }] } });
  expect((await t.fetch(apiPaths.file(ref, value.path), { method: "PUT", body: bytes })).status).toBe(201);
  return value.path;
}

async function thumbnailUrls(t: TestServer, step: number): Promise<Record<string, string>> {
  const query = new URLSearchParams({ key: "img", runs: ref.runId, step: String(step), match: "exact" });
  const response = await t.fetch(`${mediaPaths.media(ref.entity, ref.project)}?${query.toString()}`);
  const body = mediaQueryResponseSchema.parse(await response.json());
  return body.runs[0]?.items[0]?.thumbnails ?? {};
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe("thumbnails", () => {
  test("a large image is scaled to fit each size, made once, then served from the cache", async () => {
    await using t = await startTestServer();
    await logImage(t, 0, 1600, 1200);
    const urls = await thumbnailUrls(t, 0);
    const first = await t.fetch(urls["256"] ?? "");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/webp");
    expect(first.headers.get(THUMBNAIL_CACHE_HEADER)).toBe("miss");
    expect(first.headers.get("cache-control")).toContain("immutable");
    const bytes = Buffer.from(await first.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 192]);

    const second = await t.fetch(urls["256"] ?? "");
    expect(second.headers.get(THUMBNAIL_CACHE_HEADER)).toBe("hit");
    expect(Buffer.from(await second.arrayBuffer())).toEqual(bytes);
    const made = await filesUnder(join(t.dataDir, "thumbnails"));
    expect(made).toHaveLength(1);

    const large = await t.fetch(urls["1024"] ?? "");
    const largeMeta = await sharp(Buffer.from(await large.arrayBuffer())).metadata();
    expect([largeMeta.width, largeMeta.height]).toEqual([1024, 768]);
    expect(await filesUnder(join(t.dataDir, "thumbnails"))).toHaveLength(2);

    const etag = second.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await t.fetch(urls["256"] ?? "", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  test("an image that fits is served as it is, not upscaled; a tall one keeps its aspect", async () => {
    await using t = await startTestServer();
    const tinyPath = await logImage(t, 0, 16, 12);
    const tiny = await t.fetch(apiPaths.file(ref, tinyPath));
    const original = Buffer.from(await tiny.arrayBuffer());
    for (const size of ["256", "1024"]) {
      const url = (await thumbnailUrls(t, 0))[size] ?? "";
      const answer = await t.fetch(url);
      expect(answer.status).toBe(200);
      expect(Buffer.from(await answer.arrayBuffer())).toEqual(original);
      expect(answer.headers.get(THUMBNAIL_CACHE_HEADER)).toBe("miss");
      expect((await t.fetch(url)).headers.get(THUMBNAIL_CACHE_HEADER)).toBe("hit");
    }
    // Between the sizes: scaled for 256, as it is for 1024.
    await logImage(t, 1, 300, 900);
    const urls = await thumbnailUrls(t, 1);
    const small = await sharp(Buffer.from(await (await t.fetch(urls["256"] ?? "")).arrayBuffer())).metadata();
    expect([small.width, small.height]).toEqual([85, 256]);
    const big = await sharp(Buffer.from(await (await t.fetch(urls["1024"] ?? "")).arrayBuffer())).metadata();
    expect([big.format, big.width, big.height]).toEqual(["png", 300, 900]);
  });

  test("without the content version the answer must be revalidated; bad sizes, non-images and missing files are 4xx", async () => {
    await using t = await startTestServer();
    const path = await logImage(t, 0, 400, 300);
    const plain = await t.fetch(mediaPaths.thumbnail(ref, 256, path));
    expect(plain.status).toBe(200);
    expect(plain.headers.get("cache-control")).toBe("private, no-cache");

    const bad = await t.fetch(mediaPaths.thumbnail(ref, 256, path).replace("/256/", "/300/"));
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(await bad.json()).error.message).toContain("path.size");

    await t.fetch(apiPaths.file(ref, "media/audio/a.wav"), { method: "PUT", body: "RIFF....WAVEfmt " });
    const notImage = await t.fetch(mediaPaths.thumbnail(ref, 256, "media/audio/a.wav"));
    expect(notImage.status).toBe(400);
    expect(errorBodySchema.parse(await notImage.json()).error.message).toContain("media/audio/a.wav");

    await t.fetch(apiPaths.file(ref, "media/images/broken.png"), {
      method: "PUT",
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    });
    expect((await t.fetch(mediaPaths.thumbnail(ref, 256, "media/images/broken.png"))).status).toBe(400);
    expect((await t.fetch(mediaPaths.thumbnail(ref, 256, "media/images/none.png"))).status).toBe(404);
    for (const hostile of ["%ZZ.png", "media/a%5Cb.png", "media//x.png", "media/%00.png"]) {
      const url = mediaPaths.thumbnail(ref, 256, "x").replace(/x$/, hostile);
      const answer = await t.fetch(url);
      expect(answer.status, hostile).toBe(400);
      expect(errorBodySchema.parse(await answer.json()).error.message).toMatch(/^invalid request: path/);
    }
    const otherRun = { ...ref, runId: "nobody" };
    expect((await t.fetch(mediaPaths.thumbnail(otherRun, 256, path))).status).toBe(404);
  });
});
