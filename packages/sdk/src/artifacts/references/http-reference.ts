/**
 * `http(s)://` references. Logging asks the server what the URL holds without downloading it:
 * a HEAD request (redirects followed), or, when HEAD is refused (405, 501, or a 403 from a URL
 * signed for GET only), a GET whose body is never read. The entry records the ETag (quotes
 * stripped, a weak `W/` kept) as its digest and Content-Length as its size. A server that sends
 * no ETag is read once and the entry records `sha256:<hex>` of what it sent. Downloading GETs
 * the URL and keeps the bytes only when the ETag (or sha256) and size are the ones logged.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { ReferenceManifestEntry } from "@stepwise/protocol";
import {
  changedReference,
  referenceRefused,
  referenceUnreachable,
  type ReferenceLabel,
  type ReferenceStage,
} from "./reference-errors.js";

/** How long a request may take to answer its headers (the body of a download is not bounded). */
const HEADERS_TIMEOUT_MS = 60_000;

export const SHA256_DIGEST_PREFIX = "sha256:";

/** The ETag as recorded: quotes stripped (`"abc"` → `abc`, `W/"abc"` → `W/abc`). */
export function normalizeEtag(etag: string | null | undefined): string | null {
  if (etag === null || etag === undefined || etag.trim() === "") return null;
  return etag.trim().replace(/^(W\/)?"(.*)"$/, "$1$2");
}

/** The manifest entry of an http(s) reference logged with a checksum. */
export async function sealHttpReference(
  label: ReferenceLabel,
  uri: string,
  path: string,
): Promise<ReferenceManifestEntry> {
  let response = await request(label, uri, "HEAD", "logged");
  if (!response.ok) response = await okGet(label, uri);
  // A HEAD answered without an ETag: some servers send it on GET only.
  if (response.body === null && normalizeEtag(response.headers.get("etag")) === null)
    response = await okGet(label, uri);
  const etag = normalizeEtag(response.headers.get("etag"));
  if (etag !== null) {
    await response.body?.cancel();
    return { path, ref: uri, digest: etag, size: contentLength(response) };
  }
  // No ETag at all: the content itself identifies what was logged.
  const hash = createHash("sha256");
  let size = 0;
  try {
    // A body-less answer (204) is the empty content.
    if (response.body !== null)
      for await (const chunk of Readable.fromWeb(response.body as never)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
  } catch (error) {
    throw referenceUnreachable(label, error, "logged");
  }
  return { path, ref: uri, digest: `${SHA256_DIGEST_PREFIX}${hash.digest("hex")}`, size };
}

/** A GET whose answer is 2xx (its body not read yet); the typed error otherwise. */
async function okGet(label: ReferenceLabel, uri: string): Promise<Response> {
  const response = await request(label, uri, "GET", "logged");
  if (response.ok) return response;
  await response.body?.cancel();
  throw referenceRefused(label, response.status, "logged");
}

/**
 * GETs a logged http(s) reference for download: the body, once the answer's ETag is the one
 * logged (a changed one is a CorruptDataError before a byte is read).
 */
export async function openHttpReference(
  label: ReferenceLabel,
  entry: ReferenceManifestEntry,
): Promise<Readable> {
  const response = await request(label, entry.ref, "GET", "downloaded");
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw referenceRefused(label, response.status, "downloaded");
  }
  const checked = entry.digest !== entry.ref && !entry.digest.startsWith(SHA256_DIGEST_PREFIX);
  if (checked) {
    const etag = normalizeEtag(response.headers.get("etag"));
    if (etag !== entry.digest) {
      await response.body.cancel();
      throw changedReference(label, etag === null ? "no ETag" : `ETag ${etag}`, entry.digest);
    }
  }
  return Readable.fromWeb(response.body as never);
}

async function request(
  label: ReferenceLabel,
  uri: string,
  method: "HEAD" | "GET",
  stage: ReferenceStage,
): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer in ${HEADERS_TIMEOUT_MS / 1000} s`)),
    HEADERS_TIMEOUT_MS,
  );
  try {
    // identity: a compressed answer's Content-Length would not be the size of the bytes.
    return await fetch(uri, {
      method,
      redirect: "follow",
      headers: { "accept-encoding": "identity" },
      signal: abort.signal,
    });
  } catch (error) {
    throw referenceUnreachable(label, error, stage);
  } finally {
    clearTimeout(timer);
  }
}

function contentLength(response: Response): number | null {
  const raw = response.headers.get("content-length");
  if (raw === null || !/^[0-9]+$/.test(raw.trim())) return null;
  const size = Number(raw.trim());
  return Number.isSafeInteger(size) ? size : null;
}
