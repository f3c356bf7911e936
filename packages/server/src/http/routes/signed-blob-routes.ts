/**
 * The routes behind signed URLs (blob/url-signer.ts), which need no credentials: the URL's
 * signature is the authorisation, and it expires.
 * - `PUT /uploads/:id` with `Content-Range`: a part of a resumable upload (protocol files.ts).
 * - `HEAD /uploads/:id` (or GET): `Upload-Offset`, the bytes received so far.
 * - `GET|HEAD /blobs/:sha256`: a blob's bytes (Range, ETag as for run file downloads); on a
 *   store with direct URLs (S3) a GET is redirected (302) to one valid as long as this URL, so
 *   the bytes come from the object store (Range goes along; HEAD is answered here).
 * Mounted before authentication; a bad or expired signature is a 403 (`details.reason`).
 */
import {
  InvalidDataError,
  NotFoundError,
  SHA256_HEX,
  StepwiseError,
  UPLOAD_OFFSET_HEADER,
} from "@stepwise/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../app-env.js";
import { blobResponse } from "../blob-response.js";
import { partRange } from "../byte-ranges.js";
import { InputError } from "../input-error.js";
import { plainJson } from "../json-response.js";
import { requestStream } from "../request-stream.js";

export function signedBlobRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const verified = (c: Context<AppEnv>, action: "upload" | "download", target: string): void =>
    deps.urls.verify(
      action,
      target,
      { expires: c.req.query("expires"), signature: c.req.query("signature") },
      deps.now(),
    );

  app.put("/uploads/:id", async (c) => {
    const id = c.req.param("id");
    verified(c, "upload", id);
    const range = partRange(c.req.header("content-range"));
    const length = c.req.header("content-length");
    if (range !== null && length !== undefined && Number(length) !== range.length)
      throw new InputError([
        {
          field: "header.content-length",
          message: `is ${length}, but Content-Range says the part has ${range.length} bytes`,
        },
      ]);
    const incoming = c.env.incoming;
    // Node's request itself, untouched: the part goes from the socket to the file with no web
    // stream between (Content-Length and the part's length cap it: receivePart checks both).
    const raw =
      incoming !== undefined && incoming.readableFlowing === null && !c.req.header("content-encoding");
    const body = raw
      ? incoming
      : requestStream(c.req.raw, { gzip: false, maxBodyBytes: deps.config.maxBodyBytes });
    try {
      return plainJson(await deps.files.receivePart(id, range, body));
    } catch (error) {
      if (raw && !incoming.complete && !(error instanceof StepwiseError)) throw cutShort(error);
      throw error;
    }
  });

  // HEAD (the protocol's way to ask) and GET: Upload-Offset, and for GET `{ status, received }`.
  app.get("/uploads/:id", async (c) => {
    const id = c.req.param("id");
    verified(c, "upload", id);
    const received = await deps.files.received(id);
    // Headers go in the constructor: HEAD answers are rebuilt from it (headers set later are lost).
    return new Response(JSON.stringify({ status: "partial", received }), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        [UPLOAD_OFFSET_HEADER]: String(received),
        "cache-control": "no-store",
      },
    });
  });

  // Also answers HEAD (Hono routes HEAD to GET handlers).
  app.get("/blobs/:sha256", async (c) => {
    const sha256 = c.req.param("sha256");
    verified(c, "download", sha256);
    const info = SHA256_HEX.test(sha256) ? await deps.blobs.head(sha256) : null;
    if (info === null) throw new NotFoundError(`no blob with sha256 ${sha256.slice(0, 64)} is stored`);
    if (c.req.method === "GET" && deps.blobs.directDownloadUrl !== undefined)
      return new Response(null, {
        status: 302,
        headers: {
          location: deps.blobs.directDownloadUrl(sha256, Number(c.req.query("expires"))),
          "cache-control": "no-store",
        },
      });
    return blobResponse(c.req.raw, deps.blobs, {
      sha256,
      size: info.size,
      contentType: "application/octet-stream",
      name: sha256,
      cacheControl: "private, max-age=31536000, immutable",
    });
  });

  return app;
}

/** A part whose body the client cut short (what arrived is kept: the client resumes after it). */
function cutShort(error: unknown): InvalidDataError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InvalidDataError(
    `the request body ended before it was complete (${reason}): the connection was closed or timed out; send the part again from the server's offset`,
  );
}
