/** Who a request acts as, and what that allows: admins everything, other keys their own entity. */
import { AuthError, type RunRef } from "@stepwise/protocol";

export interface Principal {
  /** The API key's id; null for a trusted loopback request without a key. */
  keyId: string | null;
  name: string;
  entity: string;
  admin: boolean;
  via: "key" | "loopback";
}

export const LOOPBACK_PRINCIPAL: Principal = {
  keyId: null,
  name: "local user",
  // The SDK's default entity, so that a local user's runs are "theirs".
  entity: "local",
  admin: true,
  via: "loopback",
};

export function canAccessEntity(principal: Principal, entity: string): boolean {
  return principal.admin || principal.entity === entity;
}

/** Throws FORBIDDEN when the principal may not touch this entity's data. */
export function assertEntityAccess(principal: Principal, entity: string): void {
  if (!canAccessEntity(principal, entity))
    throw new AuthError(
      "FORBIDDEN",
      `API key '${principal.name}' may access entity '${principal.entity}' only, not '${entity}'; use a key of that entity or an admin key`,
    );
}

export function assertRunAccess(principal: Principal, ref: RunRef): void {
  assertEntityAccess(principal, ref.entity);
}

export function assertAdmin(principal: Principal, what: string): void {
  if (!principal.admin)
    throw new AuthError("FORBIDDEN", `${what} needs an admin API key; key '${principal.name}' is not one`);
}
