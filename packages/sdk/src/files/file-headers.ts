/**
 * A run file's description from the headers of its download (`HEAD`/`GET …/files/<path>`): size,
 * sha256 from the ETag (null from a server that sends none), content type and last change.
 */
import type { IncomingHttpHeaders } from "node:http";
import { SHA256_HEX, type FileDto } from "@stepwise/protocol";
import { headerValue } from "./http-call.js";

export type DescribedFile = Omit<FileDto, "sha256"> & { sha256: string | null };

export function fileFromHeaders(path: string, headers: IncomingHttpHeaders): DescribedFile {
  const modified = Date.parse(headerValue(headers, "last-modified") ?? "");
  return {
    path,
    size: totalSize(headers),
    sha256: etagDigest(headerValue(headers, "etag")),
    contentType: headerValue(headers, "content-type") ?? "application/octet-stream",
    updatedAt: Number.isFinite(modified) ? modified / 1000 : Date.now() / 1000,
  };
}

/** `"<sha256>"` (or weak `W/"…"`) → the digest; anything else → null. */
export function etagDigest(etag: string | null): string | null {
  const digest = etag?.replace(/^W\//, "").replace(/^"|"$/g, "") ?? "";
  return SHA256_HEX.test(digest) ? digest : null;
}

/** The whole file's size: a 206's `Content-Range: bytes a-b/total`, else `Content-Length`. */
function totalSize(headers: IncomingHttpHeaders): number {
  const total = /\/(\d+)$/.exec(headerValue(headers, "content-range") ?? "")?.[1];
  return Number(total ?? headerValue(headers, "content-length") ?? 0);
}

/** Where a 206's body starts (`Content-Range: bytes <start>-…`), null without one. */
export function rangeStart(headers: IncomingHttpHeaders): number | null {
  const start = /^bytes (\d+)-/.exec(headerValue(headers, "content-range") ?? "")?.[1];
  return start === undefined ? null : Number(start);
}
