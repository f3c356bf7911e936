/**
 * The response that serves a blob, for run file downloads and signed blob URLs: Content-Length,
 * `ETag: "<sha256>"` (the content's own name, so it never goes stale), `If-None-Match` → 304,
 * `Range` → 206 with Content-Range (416 when the range is past the end), Accept-Ranges, HEAD
 * without a body. Files are user data: a browser must never run them as this origin's pages.
 */
import { Readable } from "node:stream";
import { NotFoundError, type ErrorBody } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import { requestedRange } from "./byte-ranges.js";

export interface BlobToServe {
  sha256: string;
  size: number;
  contentType: string;
  /** The file name offered when it is saved. */
  name: string;
  /** Cache-Control: content-addressed URLs may be cached for good, a run file path may change. */
  cacheControl: string;
}

export async function blobResponse(request: Request, blobs: BlobStore, blob: BlobToServe): Promise<Response> {
  const etag = `"${blob.sha256}"`;
  const headers: Record<string, string> = {
    etag,
    "accept-ranges": "bytes",
    "cache-control": blob.cacheControl,
    "content-type": blob.contentType,
    "content-disposition": `attachment; filename="${downloadName(blob.name)}"`,
    "content-security-policy": "sandbox",
    "x-content-type-options": "nosniff",
  };
  if (matches(request.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers });
  const ifRange = request.headers.get("if-range");
  const range =
    ifRange === null || ifRange.trim() === etag
      ? requestedRange(request.headers.get("range") ?? undefined, blob.size)
      : null;
  if (range === "unsatisfiable") {
    const body: ErrorBody = {
      error: {
        code: "INVALID_DATA",
        message: `the requested range (${(request.headers.get("range") ?? "").slice(0, 80)}) starts past the end of the ${blob.size}-byte file`,
      },
    };
    // Headers go in the constructor: HEAD answers are rebuilt from it (headers set later are lost).
    return new Response(JSON.stringify(body), {
      status: 416,
      headers: { "content-type": "application/json; charset=utf-8", "content-range": `bytes */${blob.size}` },
    });
  }
  const length = range === null ? blob.size : range.end - range.start + 1;
  headers["content-length"] = String(length);
  if (range !== null) headers["content-range"] = `bytes ${range.start}-${range.end}/${blob.size}`;
  const status = range === null ? 200 : 206;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const body = await blobs.get(blob.sha256, range ?? undefined);
  if (body === null)
    throw new NotFoundError(
      `the content of '${blob.name}' (sha256 ${blob.sha256}) is missing from the file store; run 'stepwise server --check'`,
    );
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status, headers });
}

/** If-None-Match: `*`, or a list of (weak or strong) tags compared weakly (RFC 9110 13.1.2). */
function matches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

function downloadName(path: string): string {
  return (path.split("/").pop() ?? "file").replace(/[^A-Za-z0-9._-]/g, "_");
}
