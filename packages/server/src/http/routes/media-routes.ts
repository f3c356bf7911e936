/**
 * The media API (protocol media.ts): media of a key for some runs at a step or over a range,
 * the steps at which a key holds media, the kinds of values keys held, image thumbnails, and
 * many items' files in one answer (a panel's step for all its runs, media-batch.ts).
 * Every answer comes from the media index and key kinds (store/media-store.ts), never a history
 * scan. Bad parameters are 400s naming the field (`query.step`, `path.size`).
 */
import {
  filePathSchema,
  keyKindsQuerySchema,
  mediaBatchRequestSchema,
  mediaQuerySchema,
  mediaStepsQuerySchema,
  NotFoundError,
  THUMBNAIL_CACHE_HEADER,
  THUMBNAIL_SIZES,
  type KeyKindsResponse,
  type MediaQueryResponse,
  type MediaStepsResponse,
  type ThumbnailSize,
} from "@stepwise/protocol";
import { join } from "node:path";
import { Hono, type Context } from "hono";
import { assertProjectRunsAccess, assertRunAccess } from "../../auth/principal.js";
import { isMixed, panelOf } from "../../domain/media/value-kind.js";
import { ThumbnailCache } from "../../media/thumbnail-cache.js";
import type { StoreMediaQuery, StoredMediaRun } from "../../store/media-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { blobResponse } from "../blob-response.js";
import { InputError, parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";
import { projectParams, runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";
import { mediaBatchResponse } from "../media/media-batch.js";
import { mediaItemDto } from "../media/media-dto.js";
import { thumbnailResponse } from "../media/thumbnail-response.js";

export function mediaRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const thumbnails = new ThumbnailCache(join(deps.config.dataDir, "thumbnails"), deps.blobs);

  // Project-wide, narrowed to `runs`: an embed token may ask about its own run only.
  const project = (
    c: Context<AppEnv>,
    runs: readonly string[] | undefined,
  ): { entity: string; project: string } => {
    const p = projectParams(c);
    assertProjectRunsAccess(c.get("principal"), p, runs);
    return p;
  };

  app.get("/media/:entity/:project", async (c) => {
    const q = parseInput(mediaQuerySchema, c.req.query(), "query");
    const p = project(c, q.runs);
    const query: StoreMediaQuery = { key: q.key, runIds: q.runs };
    if (q.step !== undefined) query.at = { step: q.step, match: q.match };
    else
      query.range = {
        min: q.minStep ?? 0,
        max: q.maxStep ?? Number.MAX_SAFE_INTEGER,
        limit: q.limit ?? 1000,
      };
    const runs = await deps.store.queryMedia(p, query);
    const body: MediaQueryResponse = {
      key: q.key,
      runs: await Promise.all(runs.map((r) => runDto(deps, p, r))),
    };
    return plainJson(body);
  });

  app.get("/media/:entity/:project/steps", async (c) => {
    const q = parseInput(mediaStepsQuerySchema, c.req.query(), "query");
    const p = project(c, q.runs);
    const body: MediaStepsResponse = { key: q.key, runs: await deps.store.listMediaSteps(p, q.key, q.runs) };
    return plainJson(body);
  });

  // Many items' files in one answer (protocol media-batch.ts); an embed token: its own run's only.
  app.post("/media/:entity/:project/files", async (c) => {
    const body = await readJsonBody(c.req.raw, deps.config, mediaBatchRequestSchema);
    const p = project(c, [...new Set(body.items.map((i) => i.run))]);
    return mediaBatchResponse(deps.store, deps.blobs, p, body.items);
  });

  app.get("/key-kinds/:entity/:project", async (c) => {
    const raw: Record<string, string | string[]> = { ...c.req.query() };
    const keys = c.req.queries("key");
    if (keys !== undefined) raw.key = keys;
    const q = parseInput(keyKindsQuerySchema, raw, "query");
    const p = project(c, q.runs);
    const wanted = q.key === undefined ? null : typeof q.key === "string" ? [q.key] : q.key;
    const kinds = await deps.store.listKeyKinds(p, q.runs ?? null, wanted);
    const byKey = new Map<string, KeyKindsResponse["keys"][number]>();
    for (const k of kinds) {
      let entry = byKey.get(k.key);
      if (entry === undefined) byKey.set(k.key, (entry = { key: k.key, kinds: [], mixed: false }));
      entry.kinds.push({ ...k, panel: panelOf(k.kind) });
    }
    const keysOut = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const entry of keysOut) {
      entry.kinds.sort((a, b) => (a.firstStep ?? 0) - (b.firstStep ?? 0));
      entry.mixed = isMixed(entry.kinds.map((k) => k.kind));
    }
    const body: KeyKindsResponse = { keys: keysOut };
    return plainJson(body);
  });

  // Also answers HEAD.
  app.get("/runs/:entity/:project/:runId/thumbnails/:size/*", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const size = thumbnailSize(c.req.param("size"));
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    const path = thumbnailPath(c.req.url);
    const file = await deps.store.getFile(ref, path);
    if (file === null)
      throw new NotFoundError(`run file '${path}' does not exist (yet): it is uploaded after the row`);
    const versioned = new URL(c.req.url).searchParams.get("v") === file.sha256;
    const thumbnail = await thumbnails.get(file.sha256, file.size, size, path);
    const cacheControl = versioned ? "private, max-age=31536000, immutable" : "private, no-cache";
    if (thumbnail.kind === "original") {
      const response = await blobResponse(c.req.raw, deps.blobs, {
        sha256: file.sha256,
        size: file.size,
        contentType: file.contentType,
        name: path,
        cacheControl,
      });
      response.headers.set(THUMBNAIL_CACHE_HEADER, thumbnail.cached ? "hit" : "miss");
      return response;
    }
    return thumbnailResponse(c.req.raw, thumbnail, `"${file.sha256}-${size}"`, cacheControl);
  });

  return app;
}

async function runDto(
  deps: AppDeps,
  project: { entity: string; project: string },
  run: StoredMediaRun,
): Promise<MediaQueryResponse["runs"][number]> {
  const ref = { ...project, runId: run.runId };
  // Masks and boxes files: which have arrived (a few per image, one lookup each).
  const present = new Set<string>();
  for (const item of run.items)
    for (const f of [...item.masks, ...item.boxes])
      if (!present.has(f.path) && (await deps.store.getFile(ref, f.path)) !== null) present.add(f.path);
  return {
    runId: run.runId,
    found: run.found,
    step: run.step,
    items: run.items.map((item) => mediaItemDto(ref, item, present)),
    nextStep: run.nextStep,
  };
}

function thumbnailSize(raw: string | undefined): ThumbnailSize {
  const size = THUMBNAIL_SIZES.find((s) => String(s) === raw);
  if (size === undefined)
    throw new InputError([
      { field: "path.size", message: `is not a thumbnail size; use one of ${THUMBNAIL_SIZES.join(", ")}` },
    ]);
  return size;
}

/** Segments of `/api/v1/runs/:entity/:project/:runId/thumbnails/:size/` before the file path. */
const THUMBNAIL_PATH_START = 9;

function thumbnailPath(url: string): string {
  const segments = new URL(url).pathname.split("/").slice(THUMBNAIL_PATH_START);
  let decoded: string;
  try {
    decoded = segments.map(decodeURIComponent).join("/");
  } catch {
    throw new InputError([{ field: "path.file", message: "is not valid percent-encoding" }]);
  }
  return parseInput(filePathSchema, decoded, "path.file");
}
