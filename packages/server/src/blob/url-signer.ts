/**
 * Signed, expiring URLs for the local blob store: HMAC-SHA256 over what the URL allows (the
 * action, its target and the expiry) with a secret kept in the data directory
 * (`url-signing-key`, mode 0600, made on the first start). Anyone holding such a URL may do
 * exactly that until it expires; changing any part of it breaks the signature. Removing the
 * key file revokes every URL handed out (a new key is made on the next start), and every embed
 * token too (the same key signs them: auth/embed-token.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { constants } from "node:fs";
import { link, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { API_PREFIX, AuthError } from "@stepwise/protocol";

export const URL_SIGNING_KEY_FILE = "url-signing-key";

export type SignedAction = "upload" | "download";
/** What else the key signs: embed tokens (auth/embed-token.ts). */
export type SignedClaim = "embed";

/** What a signed URL's query carries besides its path. */
export interface SignedQuery {
  expires: string | undefined;
  signature: string | undefined;
}

export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  /** The key in `dataDir`, made (0600) when there is none yet. */
  static async forDataDir(dataDir: string): Promise<UrlSigner> {
    const path = join(dataDir, URL_SIGNING_KEY_FILE);
    // Written whole under a temporary name, then linked into place (fails if a key is there):
    // several servers starting at once on one data directory never read a half-written key.
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      try {
        await handle.writeFile(`${randomBytes(32).toString("hex")}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await rm(temp, { force: true });
    }
    const hex = (await readFile(path, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new Error(`${path} is not a URL signing key (64 hex digits); remove it and start again`);
    return new UrlSigner(Buffer.from(hex, "hex"));
  }

  /** `/api/v1/uploads/<id>` or `/api/v1/blobs/<sha256>`, with `expires` and `signature`. */
  url(action: SignedAction, target: string, expiresAt: number): string {
    const expires = Math.floor(expiresAt);
    const path = `${API_PREFIX}/${action === "upload" ? "uploads" : "blobs"}/${encodeURIComponent(target)}`;
    return `${path}?expires=${expires}&signature=${this.sign(action, target, expires)}`;
  }

  /**
   * Throws FORBIDDEN for a missing or wrong signature, and for an expired URL (with
   * `details.reason: "expired"`, so a client knows to ask for a fresh one).
   */
  verify(action: SignedAction, target: string, query: SignedQuery, now: number): void {
    const expires = Number(query.expires);
    if (query.expires === undefined || query.signature === undefined || !Number.isSafeInteger(expires))
      throw new SignedUrlError(
        "invalid",
        `this ${action} URL lacks its 'expires' and 'signature' parameters; use the URL exactly as the server gave it`,
      );
    const expected = Buffer.from(this.sign(action, target, expires));
    const given = Buffer.from(query.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new SignedUrlError(
        "invalid",
        `the signature of this ${action} URL does not match (the URL was changed, or the server's ${URL_SIGNING_KEY_FILE} was replaced); ask the server for a fresh URL`,
      );
    if (expires < now)
      throw new SignedUrlError(
        "expired",
        `this ${action} URL expired at ${new Date(expires * 1000).toISOString()}; ${action === "upload" ? "declare the file again" : "ask the server"} for a fresh one`,
      );
  }

  /**
   * The signature of a signed claim that is not a URL (an embed token, auth/embed-token.ts). Its
   * `purpose` is signed first, so that neither a URL's signature nor a claim's passes for the other.
   */
  claimSignature(purpose: SignedClaim, claim: string, expires: number): string {
    return this.sign(purpose, claim, expires);
  }

  /** Whether `signature` is the claim's (compared in constant time). */
  claimMatches(purpose: SignedClaim, claim: string, expires: number, signature: string): boolean {
    const expected = Buffer.from(this.sign(purpose, claim, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(action: SignedAction | SignedClaim, target: string, expires: number): string {
    return createHmac("sha256", this.secret).update(`${action}\n${target}\n${expires}`).digest("base64url");
  }
}

/** A signed URL refused: FORBIDDEN, `details.reason` "invalid" or "expired". */
export class SignedUrlError extends AuthError {
  readonly details: { reason: "invalid" | "expired" };
  constructor(reason: "invalid" | "expired", message: string) {
    super("FORBIDDEN", message);
    this.details = { reason };
  }
}
