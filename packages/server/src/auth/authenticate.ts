/**
 * Turns a request's credentials into a Principal. Accepts `Authorization: Bearer <key>` and
 * HTTP Basic with user `api` and the key as password (what W&B clients send), and an embed token
 * (`Bearer swe_…`, or the `embed_token` query parameter of a GET/HEAD: embed-token.ts) as a
 * principal that may read one run. Without any credentials, a loopback request is trusted only
 * when the server allows it (bound to loopback).
 */
import { AuthError, StorageFullError } from "@stepwise/protocol";
import type { UrlSigner } from "../blob/url-signer.js";
import type { Store } from "../store/store.js";
import { hashApiKey } from "./api-key.js";
import { isEmbedToken, verifyEmbedToken } from "./embed-token.js";
import { isLoopbackAddress } from "./loopback.js";
import { embedPrincipal, LOOPBACK_PRINCIPAL, type Principal } from "./principal.js";

/** `lastUsedAt` is written at most this often per key, so reads do not each cost a write. */
const TOUCH_INTERVAL_S = 60;

export interface AuthenticateInput {
  authorization: string | undefined;
  remoteAddress: string | undefined;
  /** True only when the server binds loopback and loopback trust is not switched off. */
  trustLoopback: boolean;
  now: number;
  /** The `embed_token` query parameter, taken only when there is no Authorization header. */
  embedToken?: string | undefined;
  /** Verifies embed tokens; without it none is accepted. */
  signer?: UrlSigner;
}

export async function authenticate(store: Store, input: AuthenticateInput): Promise<Principal> {
  const header = input.authorization?.trim();
  if ((header === undefined || header === "") && input.embedToken !== undefined && input.embedToken !== "")
    return embedTokenPrincipal(input, input.embedToken);
  if (header === undefined || header === "") {
    if (input.trustLoopback && isLoopbackAddress(input.remoteAddress)) return LOOPBACK_PRINCIPAL;
    throw new AuthError(
      "UNAUTHENTICATED",
      "this server needs an API key: send 'Authorization: Bearer <key>' (run 'stepwise login' to store one)",
    );
  }
  const secret = secretFrom(header);
  if (isEmbedToken(secret)) return embedTokenPrincipal(input, secret);
  const key = await store.findApiKeyByHash(hashApiKey(secret));
  if (key === null)
    throw new AuthError(
      "UNAUTHENTICATED",
      "the API key is not valid on this server; check it, or ask the server's admin for one",
    );
  if (key.lastUsedAt === null || input.now - key.lastUsedAt >= TOUCH_INTERVAL_S)
    await touchUnlessFull(store, key.id, input.now);
  return { keyId: key.id, name: key.name, entity: key.entity, admin: key.admin, via: "key" };
}

function embedTokenPrincipal(input: AuthenticateInput, token: string): Principal {
  if (input.signer === undefined)
    throw new AuthError("UNAUTHENTICATED", "this server does not take embed tokens here; use an API key");
  return embedPrincipal(verifyEmbedToken(input.signer, token, input.now).run);
}

/** `lastUsedAt` is bookkeeping: on a full disk it waits, and reads with a key keep working. */
async function touchUnlessFull(store: Store, id: string, now: number): Promise<void> {
  try {
    await store.touchApiKey(id, now);
  } catch (error) {
    if (!(error instanceof StorageFullError)) throw error;
  }
}

function secretFrom(header: string): string {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? "" : header.slice(space + 1).trim();
  if (scheme === "bearer" && value !== "") return value;
  if (scheme === "basic" && value !== "") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0 && decoded.slice(0, colon) === "api" && colon < decoded.length - 1)
      return decoded.slice(colon + 1);
    throw new AuthError(
      "UNAUTHENTICATED",
      "HTTP Basic credentials must be user 'api' with the API key as password",
    );
  }
  throw new AuthError(
    "UNAUTHENTICATED",
    "the Authorization header must be 'Bearer <key>' or HTTP Basic with user 'api' and the key as password",
  );
}
