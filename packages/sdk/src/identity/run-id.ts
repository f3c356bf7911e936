/** Run ids: 8 characters drawn uniformly from [a-z0-9] with a CSPRNG (W&B reference §1.6). */
import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** Largest multiple of 36 below 256: bytes at or above it are rejected to keep the draw uniform. */
const LIMIT = 252;

export function generateRunId(length = 8): string {
  let id = "";
  while (id.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < LIMIT && id.length < length) id += ALPHABET[byte % 36];
    }
  }
  return id;
}
