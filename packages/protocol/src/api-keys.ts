/**
 * The query API's wire types of API keys (api.ts): who the server takes the caller to be
 * (`GET /viewer`), and the admin's key management (`POST /keys`, `GET /keys`).
 */
import { z } from "zod";
import { entityNameSchema } from "./ingest.js";

/** `GET /viewer`: who the server takes the caller to be. */
export const viewerResponseSchema = z.object({
  /** The API key's id, null for a trusted loopback request without a key. */
  keyId: z.string().nullable(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
  /** `embed`: an embed token (embed.ts), which may read one run only. */
  via: z.enum(["key", "loopback", "embed"]),
  /** The server's instance id: generated once with its store, kept with its data (a restored backup keeps it). */
  serverId: z.string().optional(),
});
export type ViewerResponse = z.infer<typeof viewerResponseSchema>;

/** Body of `POST /keys` (admin only): a new API key for an entity. */
export const createApiKeyBodySchema = z
  .object({
    name: z.string().min(1).max(128),
    entity: entityNameSchema,
    admin: z.boolean().default(false),
  })
  .strict();
export type CreateApiKeyBody = z.input<typeof createApiKeyBodySchema>;

/** The key itself is returned once, here; the server keeps only its hash. */
export const createApiKeyResponseSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
});
export type CreateApiKeyResponse = z.infer<typeof createApiKeyResponseSchema>;

/** One API key as `GET /keys` lists it: never its secret (the server keeps only a hash). */
export const apiKeyDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
  /** Unix seconds. */
  createdAt: z.number(),
  /** Unix seconds of the last request with the key, to within a minute; null if never used. */
  lastUsedAt: z.number().nullable(),
});
export type ApiKeyDto = z.infer<typeof apiKeyDtoSchema>;

/** `GET /keys` (admin only): every key, oldest first. */
export const apiKeyListResponseSchema = z.object({ keys: z.array(apiKeyDtoSchema) });
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponseSchema>;
