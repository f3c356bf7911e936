/**
 * The response that serves a thumbnail made by the cache: image/webp from its file on disk,
 * `ETag: "<source sha256>-<size>"`, If-None-Match → 304, HEAD without a body, and the
 * `x-thumbnail-cache` header saying whether it was made for this request.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { THUMBNAIL_CACHE_HEADER } from "@stepwise/protocol";
import type { Thumbnail } from "../../media/thumbnail-cache.js";

export function thumbnailResponse(
  request: Request,
  thumbnail: Extract<Thumbnail, { kind: "scaled" }>,
  etag: string,
  cacheControl: string,
): Response {
  const headers: Record<string, string> = {
    etag,
    "cache-control": cacheControl,
    "content-type": "image/webp",
    "x-content-type-options": "nosniff",
    [THUMBNAIL_CACHE_HEADER]: thumbnail.cached ? "hit" : "miss",
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag))
    return new Response(null, { status: 304, headers });
  headers["content-length"] = String(thumbnail.size);
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(createReadStream(thumbnail.file)) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}
