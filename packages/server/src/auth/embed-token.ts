/**
 * Embed tokens (protocol embed.ts): `swe_<claim>.<signature>`, where the claim is the base64url
 * JSON `[entity, project, runId, expiresAt]` and the signature the HMAC of the server's
 * `url-signing-key` over it (blob/url-signer.ts, purpose "embed"). Nothing is stored: a token is
 * valid until it expires, or until that key is replaced (which revokes every token at once).
 * A token that is malformed, altered or signed with another key, or expired, is refused with
 * UNAUTHENTICATED and `details.reason` "invalid" or "expired".
 */
import { AuthError, EMBED_TOKEN_PREFIX, runRefSchema, type RunRef } from "@stepwise/protocol";
import type { UrlSigner } from "../blob/url-signer.js";

export interface EmbedClaim {
  run: RunRef;
  /** Unix seconds. */
  expiresAt: number;
}

/** An embed token refused: UNAUTHENTICATED, `details.reason` "invalid" or "expired". */
export class EmbedTokenError extends AuthError {
  readonly details: { reason: "invalid" | "expired"; expiresAt?: number };
  constructor(reason: "invalid" | "expired", message: string, expiresAt?: number) {
    super("UNAUTHENTICATED", message);
    this.details = expiresAt === undefined ? { reason } : { reason, expiresAt };
  }
}

export function isEmbedToken(credential: string): boolean {
  return credential.startsWith(EMBED_TOKEN_PREFIX);
}

export function issueEmbedToken(signer: UrlSigner, claim: EmbedClaim): string {
  const expires = Math.floor(claim.expiresAt);
  const { entity, project, runId } = claim.run;
  const body = Buffer.from(JSON.stringify([entity, project, runId, expires]), "utf8").toString("base64url");
  return `${EMBED_TOKEN_PREFIX}${body}.${signer.claimSignature("embed", body, expires)}`;
}

/** The run and expiry a token grants; throws EmbedTokenError when it is not a valid, live token. */
export function verifyEmbedToken(signer: UrlSigner, token: string, now: number): EmbedClaim {
  const rest = token.slice(EMBED_TOKEN_PREFIX.length);
  const dot = rest.indexOf(".");
  const body = dot < 0 ? "" : rest.slice(0, dot);
  const signature = dot < 0 ? "" : rest.slice(dot + 1);
  const claim = isEmbedToken(token) ? parseClaim(body) : null;
  if (claim === null || !signer.claimMatches("embed", body, claim.expiresAt, signature))
    throw new EmbedTokenError(
      "invalid",
      "the embed token is not valid on this server (it was changed or cut short, or the server's url-signing-key was replaced); make a fresh embed with run.toHtml() or run.display()",
    );
  if (claim.expiresAt < now)
    throw new EmbedTokenError(
      "expired",
      `the embed token expired at ${new Date(claim.expiresAt * 1000).toISOString()}; make a fresh embed with run.toHtml() or run.display()`,
      claim.expiresAt,
    );
  return claim;
}

function parseClaim(body: string): EmbedClaim | null {
  if (body === "" || !/^[A-Za-z0-9_-]+$/.test(body)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 4) return null;
  const [entity, project, runId, expiresAt] = value as unknown[];
  const run = runRefSchema.safeParse({ entity, project, runId });
  if (!run.success || typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt)) return null;
  return { run: run.data, expiresAt };
}
