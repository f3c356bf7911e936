/**
 * Run files: list, download (GET/HEAD with ETag and Range, blob-response.ts) and upload a whole
 * file in one body (PUT, streamed into the blob store, never held in memory; an
 * `x-content-sha256` header is checked before anything is kept). A whole body is held to the
 * request body limits (`--max-body-bytes`, and after gzip `--max-decompressed-bytes`) and the
 * file limit; larger files go in parts (file-upload-routes.ts). The file path is everything after `/files/`, validated as a
 * relative path (no `..`, no absolute path, no backslash, no control character, names of at
 * most 255 bytes). A path that collides with a stored file or folder of the run is a 409.
 */
import {
  CONTENT_SHA256_HEADER,
  filePathSchema,
  NotFoundError,
  sha256Schema,
  type FileListResponse,
  type RunRef,
} from "@stepwise/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { fileTooLarge } from "../../blob/local-blob-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { blobResponse } from "../blob-response.js";
import { assertStorablePath } from "../file-path-error.js";
import { InputError, parseInput } from "../input-error.js";
import { extendedJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { requestStream } from "../request-stream.js";
import { unknownRun } from "../unknown-run.js";

export function fileRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const knownRun = async (c: Context<AppEnv>): Promise<RunRef> => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    return ref;
  };

  app.get("/runs/:entity/:project/:runId/files", async (c) => {
    const ref = await knownRun(c);
    const body: FileListResponse = { files: await deps.store.listFiles(ref) };
    return extendedJson(body);
  });

  // Also answers HEAD (Hono routes HEAD to GET handlers).
  app.get("/runs/:entity/:project/:runId/files/*", async (c) => {
    const ref = await knownRun(c);
    const path = filePathFrom(c.req.url);
    const file = await deps.store.getFile(ref, path);
    if (file === null) throw new NotFoundError(`run file '${path}' does not exist`);
    return blobResponse(c.req.raw, deps.blobs, {
      sha256: file.sha256,
      size: file.size,
      contentType: file.contentType,
      name: path,
      cacheControl: "private, no-cache",
    });
  });

  app.put("/runs/:entity/:project/:runId/files/*", async (c) => {
    const ref = await knownRun(c);
    const path = filePathFrom(c.req.url);
    assertStorablePath(path);
    const declared = c.req.header(CONTENT_SHA256_HEADER);
    const sha256 =
      declared === undefined
        ? undefined
        : parseInput(sha256Schema, declared.trim().toLowerCase(), `header.${CONTENT_SHA256_HEADER}`);
    const length = Number(c.req.header("content-length") ?? "0");
    if (c.req.header("content-encoding") === undefined && length > deps.config.maxFileBytes)
      throw fileTooLarge(deps.config.maxFileBytes);
    const body = requestStream(c.req.raw, { gzip: true, maxBodyBytes: deps.config.maxBodyBytes });
    const type = contentTypeOf(c.req.header("content-type"));
    const file = await deps.files.putWhole(ref, path, body, type, sha256, deps.config.maxDecompressedBytes);
    return extendedJson(file, 201);
  });

  return app;
}

/** Segments of `/api/v1/runs/:entity/:project/:runId/files/` before the file path. */
const FILE_PATH_START = 8;

/** The raw path after `/files/`, decoded segment by segment, then validated. */
function filePathFrom(url: string): string {
  const segments = new URL(url).pathname.split("/").slice(FILE_PATH_START);
  let decoded: string;
  try {
    decoded = segments.map(decodeURIComponent).join("/");
  } catch {
    throw new InputError([{ field: "path.file", message: "is not valid percent-encoding" }]);
  }
  return parseInput(filePathSchema, decoded, "path.file");
}

function contentTypeOf(header: string | undefined): string {
  const value = header?.trim() ?? "";
  return value === "" || value.length > 255 ? "application/octet-stream" : value;
}
