/**
 * Who a request acts as, and what that allows: admins everything, other keys their own entity,
 * an embed token (auth/embed-token.ts) reading its one run and nothing else.
 */
import { AuthError, type RunRef } from "@stepwise/protocol";

export interface Principal {
  /** The API key's id; null for a trusted loopback request without a key, or an embed token. */
  keyId: string | null;
  name: string;
  entity: string;
  admin: boolean;
  via: "key" | "loopback" | "embed";
  /** An embed token's run: the only one this principal may read (auth/embed-scope.ts). */
  run?: RunRef;
}

export const LOOPBACK_PRINCIPAL: Principal = {
  keyId: null,
  name: "local user",
  // The SDK's default entity, so that a local user's runs are "theirs".
  entity: "local",
  admin: true,
  via: "loopback",
};

export function embedPrincipal(run: RunRef): Principal {
  return {
    keyId: null,
    name: `embed token of run ${runPath(run)}`,
    entity: run.entity,
    admin: false,
    via: "embed",
    run,
  };
}

/** Entity-wide access: an embed token has none (it reads one run). */
export function canAccessEntity(principal: Principal, entity: string): boolean {
  if (principal.run !== undefined) return false;
  return principal.admin || principal.entity === entity;
}

/** Throws FORBIDDEN when the principal may not touch this entity's data. */
export function assertEntityAccess(principal: Principal, entity: string): void {
  if (principal.run !== undefined) throw embedRefusal(principal.run, `entity '${entity}' as a whole`);
  if (!canAccessEntity(principal, entity))
    throw new AuthError(
      "FORBIDDEN",
      `API key '${principal.name}' may access entity '${principal.entity}' only, not '${entity}'; use a key of that entity or an admin key`,
    );
}

export function assertRunAccess(principal: Principal, ref: RunRef): void {
  if (principal.run !== undefined) {
    if (!sameRun(principal.run, ref)) throw embedRefusal(principal.run, `run ${runPath(ref)}`);
    return;
  }
  assertEntityAccess(principal, ref.entity);
}

/**
 * A project-wide query narrowed to some runs (`runs` of the media and key-kinds queries): an
 * embed token may ask about its own run only, and must say so (`runs` = that run).
 */
export function assertProjectRunsAccess(
  principal: Principal,
  project: { entity: string; project: string },
  runIds: readonly string[] | null | undefined,
): void {
  const own = principal.run;
  if (own === undefined) return assertEntityAccess(principal, project.entity);
  const mine = own.entity === project.entity && own.project === project.project;
  if (
    !mine ||
    runIds === null ||
    runIds === undefined ||
    runIds.length === 0 ||
    runIds.some((id) => id !== own.runId)
  )
    throw embedRefusal(own, `other runs of ${project.entity}/${project.project} (pass runs=${own.runId})`);
}

export function assertAdmin(principal: Principal, what: string): void {
  if (!principal.admin)
    throw new AuthError("FORBIDDEN", `${what} needs an admin API key; key '${principal.name}' is not one`);
}

export function sameRun(a: RunRef, b: RunRef): boolean {
  return a.entity === b.entity && a.project === b.project && a.runId === b.runId;
}

export function embedRefusal(own: RunRef, what: string): AuthError {
  return new AuthError(
    "FORBIDDEN",
    `an embed token may only read run ${runPath(own)}, not ${what}; use an API key for anything else`,
  );
}

function runPath(ref: RunRef): string {
  return `${ref.entity}/${ref.project}/${ref.runId}`;
}
