/**
 * API keys: `sw-` plus 40 letters and digits (about 238 random bits). Only the SHA-256 of a key
 * is stored; the key itself is shown once, when it is created.
 *
 * The shape is the one every W&B client accepts as `WANDB_API_KEY` (docs/wandb.md): a prefix
 * ending in the key's only `-`, then exactly 40 characters of `[A-Za-z0-9]` (Python checks the
 * text after the first `-`: at least 40 characters, exactly 40 up to 0.22 `wandb login`; the JS
 * SDK checks the last `-` segment: exactly 40). Keys issued before (`sw_` + 40 URL-safe
 * characters) keep working: a key is looked up by its hash, whatever its shape.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";

export const API_KEY_PREFIX = "sw-";
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const KEY_CHARS = 40;

export interface NewApiKey {
  id: string;
  /** The key the client sends; never stored. */
  secret: string;
  secretHash: string;
}

export function generateApiKey(): NewApiKey {
  let body = "";
  for (let i = 0; i < KEY_CHARS; i++) body += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  const secret = API_KEY_PREFIX + body;
  return { id: randomBytes(8).toString("hex"), secret, secretHash: hashApiKey(secret) };
}

/** Hex SHA-256: keys carry about 238 random bits, so a fast hash is enough (no password stretching). */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
