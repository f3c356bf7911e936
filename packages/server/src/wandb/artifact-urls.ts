/**
 * Signed URLs for W&B's artifact traffic, which carries no credentials (as upload-urls.ts for run
 * files): `PUT /wandb/artifact-uploads/{token}` takes a pending artifact's file (the token names
 * the pending artifact and the path) or its manifest (no path), and
 * `GET /wandb/artifact-manifests/{token}` serves a committed version's manifest in W&B's JSON.
 * Files themselves download from the blob store's own signed URLs. The signed targets carry
 * their own prefixes, so no other signed URL passes for one of these.
 */
import type { UrlSigner } from "../blob/url-signer.js";
import type { VersionRef } from "../store/artifact-store.js";
import { WANDB_UPLOAD_TTL_S } from "./upload-urls.js";
import { WandbInputError } from "./wandb-errors.js";

export const ARTIFACT_UPLOAD_PATH = "/wandb/artifact-uploads";
export const ARTIFACT_MANIFEST_PATH = "/wandb/artifact-manifests";

const UPLOAD_PREFIX = "wandb-artifact-file:";
const MANIFEST_PREFIX = "wandb-artifact-manifest:";

export interface ArtifactUploadTarget {
  pendingId: string;
  /** The artifact path of the file; null for the manifest. */
  path: string | null;
}

type Query = { expires: string | undefined; signature: string | undefined };

function signed(signer: UrlSigner, action: "upload" | "download", target: string, now: number): string {
  const url = signer.url(action, target, now + WANDB_UPLOAD_TTL_S);
  return url.slice(url.indexOf("?"));
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

function decode(token: string): unknown[] {
  const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  if (!Array.isArray(value)) throw new WandbInputError("not an artifact URL token");
  return value;
}

export function artifactUploadUrl(
  signer: UrlSigner,
  origin: string,
  target: ArtifactUploadTarget,
  now: number,
): string {
  const token = encode([target.pendingId, target.path]);
  return `${origin}${ARTIFACT_UPLOAD_PATH}/${token}${signed(signer, "upload", UPLOAD_PREFIX + token, now)}`;
}

export function verifyArtifactUpload(
  signer: UrlSigner,
  token: string,
  query: Query,
  now: number,
): ArtifactUploadTarget {
  signer.verify("upload", UPLOAD_PREFIX + token, query, now);
  const [pendingId, path] = decode(token);
  return { pendingId: String(pendingId), path: typeof path === "string" ? path : null };
}

export function manifestUrl(signer: UrlSigner, origin: string, ref: VersionRef, now: number): string {
  const token = encode([ref.entity, ref.project, ref.name, ref.alias]);
  return `${origin}${ARTIFACT_MANIFEST_PATH}/${token}${signed(signer, "download", MANIFEST_PREFIX + token, now)}`;
}

export function verifyManifestUrl(signer: UrlSigner, token: string, query: Query, now: number): VersionRef {
  signer.verify("download", MANIFEST_PREFIX + token, query, now);
  const [entity, project, name, alias] = decode(token).map(String);
  return { entity: entity ?? "", project: project ?? "", name: name ?? "", alias: alias ?? "" };
}

/** A blob store URL made absolute (the local store hands out server-relative paths). */
export function absolute(origin: string, url: string): string {
  return url.startsWith("/") ? `${origin}${url}` : url;
}
