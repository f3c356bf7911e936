/**
 * Upload URLs for W&B's `createRunFiles`. wandb-core PUTs to them with no credentials at all, so
 * each URL authorises itself: it names the run and the file path, and carries an expiry and the
 * server's HMAC over them (blob/url-signer.ts, the key that signs Stepwise's own upload URLs). The
 * signed target starts with `wandb-run-file:`, so no signature of Stepwise's own upload ids can
 * pass for one of these, nor the other way round.
 */
import { filePathSchema, type RunRef } from "@stepwise/protocol";
import type { UrlSigner } from "../blob/url-signer.js";
import { checkedRef } from "./run-identity.js";
import { WandbInputError } from "./wandb-errors.js";

/** The route the URLs point at (mounted beside `/graphql`, before authentication). */
export const WANDB_UPLOAD_PATH = "/wandb/uploads";

/** How long an upload URL works: uploads are retried for minutes, files at finish come later. */
export const WANDB_UPLOAD_TTL_S = 24 * 3600;

const TARGET_PREFIX = "wandb-run-file:";

export interface UploadTarget {
  ref: RunRef;
  path: string;
}

/** `{origin}/wandb/uploads/{token}?expires=…&signature=…`. */
export function wandbUploadUrl(signer: UrlSigner, origin: string, target: UploadTarget, now: number): string {
  const token = Buffer.from(
    JSON.stringify([target.ref.entity, target.ref.project, target.ref.runId, target.path]),
  ).toString("base64url");
  const signed = signer.url("upload", TARGET_PREFIX + token, now + WANDB_UPLOAD_TTL_S);
  const query = signed.slice(signed.indexOf("?"));
  return `${origin}${WANDB_UPLOAD_PATH}/${token}${query}`;
}

/** The run and path a token names, once its signature and expiry are checked (403 otherwise). */
export function verifyUploadToken(
  signer: UrlSigner,
  token: string,
  query: { expires: string | undefined; signature: string | undefined },
  now: number,
): UploadTarget {
  signer.verify("upload", TARGET_PREFIX + token, query, now);
  const [entity, project, runId, path] = JSON.parse(
    Buffer.from(token, "base64url").toString("utf8"),
  ) as string[];
  return { ref: checkedRef({ entity, project, runId }), path: checkedPath(path) };
}

/** A file path as W&B clients name them (relative, forward slashes), checked as Stepwise's are. */
export function checkedPath(path: unknown): string {
  const parsed = filePathSchema.safeParse(path);
  if (!parsed.success)
    throw new WandbInputError(
      `file path '${String(path).slice(0, 120)}' cannot be stored: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  return parsed.data;
}
