/**
 * Run files: list, download and upload. The file path is everything after `/files/`, validated
 * as a relative path (no `..`, no absolute path, no backslash, no control character). A path
 * that collides with a stored file or folder is a 409, one too long for the file store a 400.
 */
import { Readable } from "node:stream";
import { filePathSchema, NotFoundError, type FileListResponse, type RunRef } from "@stepwise/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { BlobKeyError, type WrittenBlob } from "../../blob/blob-store.js";
import { fileKey } from "../../blob/file-key.js";
import type { StoredFile } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { filePathError } from "../file-path-error.js";
import { InputError, parseInput } from "../input-error.js";
import { extendedJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { readBody } from "../read-body.js";
import { unknownRun } from "../unknown-run.js";

export function fileRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const knownRun = async (c: Context<AppEnv>): Promise<RunRef> => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    if ((await deps.store.getRun(ref)) === null) throw unknownRun(ref);
    return ref;
  };

  app.get("/runs/:entity/:project/:runId/files", async (c) => {
    const ref = await knownRun(c);
    const body: FileListResponse = { files: await deps.store.listFiles(ref) };
    return extendedJson(body);
  });

  app.get("/runs/:entity/:project/:runId/files/*", async (c) => {
    const ref = await knownRun(c);
    const path = filePathFrom(c.req.url);
    const file = await deps.store.getFile(ref, path);
    const body = file === null ? null : await deps.blobs.get(fileKey(ref, path));
    if (file === null || body === null) throw new NotFoundError(`run file '${path}' does not exist`);
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": file.contentType,
        "content-length": String(file.size),
        "content-disposition": `attachment; filename="${downloadName(path)}"`,
        // Files are user data: never let a browser run them as this origin's pages.
        "content-security-policy": "sandbox",
        "x-content-type-options": "nosniff",
      },
    });
  });

  app.put("/runs/:entity/:project/:runId/files/*", async (c) => {
    const ref = await knownRun(c);
    const path = filePathFrom(c.req.url);
    const bytes = await readBody(c.req.raw, deps.config);
    const contentType = contentTypeOf(c.req.header("content-type"));
    const updatedAt = deps.now();
    const describe = ({ size, sha256 }: WrittenBlob): StoredFile => ({
      path,
      size,
      sha256,
      contentType,
      updatedAt,
    });
    // The record is written before the new bytes replace the old ones: a record that cannot be
    // written (a full disk) leaves the file as it was, so no record describes other bytes.
    const record = (written: WrittenBlob): Promise<void> => deps.store.putFile(ref, describe(written));
    try {
      const written = await deps.blobs.put(fileKey(ref, path), bytes, record);
      return extendedJson(describe(written), 201);
    } catch (error) {
      throw error instanceof BlobKeyError ? filePathError(error, ref, path) : error;
    }
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

function downloadName(path: string): string {
  return (path.split("/").pop() ?? "file").replace(/[^A-Za-z0-9._-]/g, "_");
}
