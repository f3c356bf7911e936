/**
 * Embed tokens (`run.toHtml()` / `run.display()` on a server that needs API keys): a signed,
 * expiring, read-only credential for one run, which the embeddable view (`/embed/…?token=…`)
 * sends on its API requests. Made by `POST /runs/:entity/:project/:runId/embed-token` with an API
 * key that may read the run; the server keeps no list of them, so one is revoked only by its
 * expiry (or by replacing the server's `url-signing-key`, which revokes every one at once).
 */
import { z } from "zod";
import { apiPaths } from "./api.js";
import type { RunRef } from "./ingest.js";

/** An embed token starts with this (API keys start with `sw_`). */
export const EMBED_TOKEN_PREFIX = "swe_";
/**
 * The query parameter that carries the token in the embed page's URL, and on the API's GET and
 * HEAD requests that cannot send a header (a file link, an image); a header is preferred.
 */
export const EMBED_TOKEN_QUERY = "embed_token";
/** 7 days: long enough for a notebook shown to colleagues this week. */
export const EMBED_TOKEN_DEFAULT_TTL_S = 7 * 24 * 3600;
/** 30 days: a token cannot be taken back before it expires, so none lives longer. */
export const EMBED_TOKEN_MAX_TTL_S = 30 * 24 * 3600;

/** Body of `POST /runs/:entity/:project/:runId/embed-token`. */
export const embedTokenBodySchema = z
  .object({
    /** Seconds the token is valid; default 7 days, at most 30. */
    ttlSeconds: z.number().int().min(1).max(EMBED_TOKEN_MAX_TTL_S).optional(),
  })
  .strict();
export type EmbedTokenBody = z.infer<typeof embedTokenBodySchema>;

export const embedTokenResponseSchema = z.object({
  token: z.string().startsWith(EMBED_TOKEN_PREFIX),
  /** Unix seconds after which the server refuses the token (401, `details.reason: "expired"`). */
  expiresAt: z.number().int(),
});
export type EmbedTokenResponse = z.infer<typeof embedTokenResponseSchema>;

export const embedPaths = {
  token: (ref: RunRef): string => `${apiPaths.run(ref)}/embed-token`,
};
