/**
 * W&B's content names: a file is named by the base64 MD5 of its bytes, a version by the hex MD5
 * of `wandb-artifact-manifest-v1\n` followed by one `path:md5\n` line per file in code-point order
 * of path (MANIFEST_MD5, the digest every pinned client computes). Stepwise stores blobs by
 * SHA-256, so a blob's MD5 is computed by reading it once and remembered in the database
 * (artifact-pending.ts).
 */
import { createHash } from "node:crypto";
import { compareCodePoints } from "@stepwise/protocol";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

/** What reading artifacts needs: the store and blobs, and the MD5s known (no principal). */
export type ArtifactReads = Pick<WandbContext, "deps" | "artifacts">;

export async function blobMd5(ctx: ArtifactReads, sha256: string): Promise<string> {
  const known = await ctx.artifacts.md5Of(sha256);
  if (known !== undefined) return known;
  const stream = await ctx.deps.blobs.get(sha256);
  if (stream === null) throw new WandbInputError(`the content ${sha256} is missing on this server`);
  const hash = createHash("md5");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  const md5 = hash.digest("base64");
  await ctx.artifacts.rememberMd5(sha256, md5);
  return md5;
}

export function wandbManifestDigest(contents: Record<string, Record<string, unknown>>): string {
  const hash = createHash("md5").update("wandb-artifact-manifest-v1\n");
  for (const path of Object.keys(contents).sort(compareCodePoints))
    hash.update(`${path}:${String(contents[path]?.["digest"])}\n`);
  return hash.digest("hex");
}
