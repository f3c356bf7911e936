/**
 * Retention of a collection's versions: which versions a policy deletes, and why each other one
 * is kept. A version is kept when any rule keeps it: it is among the newest `keepLast`, it holds
 * a user alias (`keepAliased`), or it is younger than `keepYoungerThanS`. Whatever the policy,
 * the newest version (`latest`) and every version linked in a registry are kept: a registry link
 * is a promise to its readers (`production`), and retention never breaks it; unlink it first.
 * A policy with no rule is refused: it would delete every version but the newest.
 *
 * A version's TTL (`ttlS`, seconds from its creation) overrides the policy once it has run out:
 * the version is deleted unless it is the newest, holds a user alias (whatever `keepAliased`
 * says) or is linked in a registry, and its reasons then say it is past its TTL. `TTL_ONLY`
 * applies TTLs alone: every version not past its TTL is kept (the scheduled pass over every
 * collection, `stepwise artifact gc --ttl-only`).
 */
import { LATEST_ALIAS, UsageError } from "@stepwise/protocol";

export interface RetentionPolicy {
  keepLast?: number | undefined;
  keepAliased?: boolean | undefined;
  keepYoungerThanS?: number | undefined;
}

export interface RetainedVersion {
  version: string;
  aliases: readonly string[];
  /** Unix seconds. */
  createdAt: number;
  /** Where the version is linked in a registry (`registry/collection:v2`); none: absent or empty. */
  registryLinks?: readonly string[] | undefined;
  /** Seconds from `createdAt` it lives; null or absent: no TTL. */
  ttlS?: number | null | undefined;
}

/** Apply TTLs only: keep every version not past its TTL. */
export const TTL_ONLY = "ttl-only";

type Protection = "latest" | `aliased ${string}` | `linked in registry ${string}`;

/** Why a version is kept: each rule that keeps it, in the order the policy's rules are listed. */
export type KeepReason =
  | "latest"
  | `keep-last ${number}`
  | `aliased ${string}`
  | `younger than ${number} s`
  | `linked in registry ${string}`
  | `past ttl ${number} s, ${Protection}`
  | "no ttl"
  | `within ttl ${number} s`;

export interface RetentionPlan {
  /** Version names to delete, newest first. */
  deleted: string[];
  /** The versions kept, newest first, each with every reason that keeps it. */
  kept: { version: string; reasons: KeepReason[] }[];
}

/** What the policy does to `newestFirst` (a collection's live versions, newest first) at `now`. */
export function planRetention(
  newestFirst: readonly RetainedVersion[],
  policy: RetentionPolicy | typeof TTL_ONLY,
  now: number,
): RetentionPlan {
  if (policy !== TTL_ONLY) assertHasRule(policy);
  const plan: RetentionPlan = { deleted: [], kept: [] };
  newestFirst.forEach((version, index) => {
    const reasons = keepReasons(version, index, policy, now);
    if (reasons.length === 0) plan.deleted.push(version.version);
    else plan.kept.push({ version: version.version, reasons });
  });
  return plan;
}

/** The versions (of `newestFirst`, a collection's live versions newest first) the policy deletes. */
export function versionsToDelete(
  newestFirst: readonly RetainedVersion[],
  policy: RetentionPolicy,
  now: number,
): string[] {
  return planRetention(newestFirst, policy, now).deleted;
}

/** Refuses a policy with no rule (UsageError naming the rules). */
export function assertHasRule(policy: RetentionPolicy): void {
  if (policy.keepLast === undefined && policy.keepAliased !== true && policy.keepYoungerThanS === undefined)
    throw new UsageError(
      "a retention policy needs at least one rule: keepLast, keepAliased or keepYoungerThanS",
    );
}

function keepReasons(
  version: RetainedVersion,
  index: number,
  policy: RetentionPolicy | typeof TTL_ONLY,
  now: number,
): KeepReason[] {
  const ttl = version.ttlS ?? null;
  if (ttl !== null && now - version.createdAt >= ttl)
    return protections(version, index).map((why) => `past ttl ${ttl} s, ${why}` as const);
  if (policy === TTL_ONLY) return [ttl === null ? "no ttl" : `within ttl ${ttl} s`];
  const reasons: KeepReason[] = [];
  if (index === 0) reasons.push("latest");
  if (policy.keepLast !== undefined && index < policy.keepLast) reasons.push(`keep-last ${policy.keepLast}`);
  const userAliases = version.aliases.filter((alias) => alias !== LATEST_ALIAS);
  if (policy.keepAliased === true && userAliases.length > 0)
    reasons.push(`aliased ${userAliases.join(", ")}`);
  if (policy.keepYoungerThanS !== undefined && now - version.createdAt < policy.keepYoungerThanS)
    reasons.push(`younger than ${policy.keepYoungerThanS} s`);
  for (const link of version.registryLinks ?? []) reasons.push(`linked in registry ${link}`);
  return reasons;
}

/** What keeps a version past its TTL: being the newest, a user alias, a registry link. */
function protections(version: RetainedVersion, index: number): Protection[] {
  const reasons: Protection[] = [];
  if (index === 0) reasons.push("latest");
  const userAliases = version.aliases.filter((alias) => alias !== LATEST_ALIAS);
  if (userAliases.length > 0) reasons.push(`aliased ${userAliases.join(", ")}`);
  for (const link of version.registryLinks ?? []) reasons.push(`linked in registry ${link}`);
  return reasons;
}
