/**
 * The signed routes of W&B's artifact traffic (artifact-urls.ts), beside `/graphql`:
 * - `PUT /wandb/artifact-uploads/:token`: a pending artifact's file, streamed into the blob store
 *   (its MD5 computed on the way, so the commit can match it with the manifest), or its manifest;
 * - `GET /wandb/artifact-manifests/:token`: a committed version's manifest in W&B's JSON, each
 *   file named by its MD5 (the client's cache key), downloaded through `files { directUrl }`.
 */
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.js";
import { readBody } from "../http/read-body.js";
import { requestStream } from "../http/request-stream.js";
import type { PendingArtifacts } from "./artifact-pending.js";
import {
  ARTIFACT_MANIFEST_PATH,
  ARTIFACT_UPLOAD_PATH,
  verifyArtifactUpload,
  verifyManifestUrl,
} from "./artifact-urls.js";
import { manifestContents } from "./artifact-entries.js";
import { versionId } from "./artifact-ids.js";
import { checkedPath } from "./upload-urls.js";
import { WandbInputError } from "./wandb-errors.js";
import { answered } from "./wandb-routes.js";

export function addArtifactRoutes(
  app: Hono<AppEnv>,
  deps: AppDeps,
  artifacts: PendingArtifacts,
  log: (line: string) => void,
): void {
  app.put(`${ARTIFACT_UPLOAD_PATH}/:token`, (c) =>
    answered(log, async () => {
      const query = { expires: c.req.query("expires"), signature: c.req.query("signature") };
      const target = verifyArtifactUpload(deps.urls, c.req.param("token"), query, deps.now());
      const notPending = (): WandbInputError =>
        new WandbInputError(
          `artifact ${target.pendingId} is not being logged (unknown, or left uncommitted for a day); log it again`,
        );
      if ((await artifacts.get(target.pendingId)) === null) throw notPending();
      if (target.path === null) {
        const text = (await readBody(c.req.raw, deps.config)).toString("utf8");
        let manifest: unknown;
        try {
          manifest = JSON.parse(text);
        } catch {
          throw new WandbInputError("the artifact manifest must be JSON");
        }
        if (!(await artifacts.setManifest(target.pendingId, manifest))) throw notPending();
        return Response.json({ name: "wandb_manifest.json" });
      }
      const path = checkedPath(target.path);
      const md5 = createHash("md5");
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          done(null, chunk);
        },
      });
      // One PUT per file (multipart is not advertised), streamed to disk: the file limit applies.
      const maxBodyBytes = deps.config.maxFileBytes;
      const body = requestStream(c.req.raw, { gzip: false, maxBodyBytes });
      body.once("error", (error) => hashing.destroy(error));
      const written = await deps.blobs.put(body.pipe(hashing), { maxBytes: maxBodyBytes });
      const digest = md5.digest("base64");
      await artifacts.rememberMd5(written.sha256, digest);
      const file = { sha256: written.sha256, size: written.size, md5: digest };
      if (!(await artifacts.addFile(target.pendingId, path, file))) throw notPending();
      return Response.json({ name: path, sizeBytes: written.size });
    }),
  );

  app.get(`${ARTIFACT_MANIFEST_PATH}/:token`, (c) =>
    answered(log, async () => {
      const query = { expires: c.req.query("expires"), signature: c.req.query("signature") };
      const at = verifyManifestUrl(deps.urls, c.req.param("token"), query, deps.now());
      const version = await deps.store.artifacts.resolveVersion(at);
      if (version === null)
        return Response.json({ errors: [{ message: "no such artifact version" }] }, { status: 404 });
      const ref = { ...at, alias: version.version };
      const contents = await manifestContents({ deps, artifacts }, ref, versionId(ref));
      return Response.json({
        version: 1,
        storagePolicy: "wandb-storage-policy-v1",
        storagePolicyConfig: { storageLayout: "V2" },
        contents,
      });
    }),
  );
}
