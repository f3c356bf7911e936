/**
 * API keys: `sw_` plus 40 URL-safe characters (240 random bits). Only the SHA-256 of a key is
 * stored; the key itself is shown once, when it is created.
 */
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "sw_";

export interface NewApiKey {
  id: string;
  /** The key the client sends; never stored. */
  secret: string;
  secretHash: string;
}

export function generateApiKey(): NewApiKey {
  const secret = API_KEY_PREFIX + randomBytes(30).toString("base64url");
  return { id: randomBytes(8).toString("hex"), secret, secretHash: hashApiKey(secret) };
}

/** Hex SHA-256: keys carry 240 random bits, so a fast hash is enough (no password stretching). */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
