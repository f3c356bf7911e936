/**
 * Retention of a collection's versions: which versions a policy deletes. A version is kept when
 * any rule keeps it: it is among the newest `keepLast`, it holds a user alias (`keepAliased`),
 * or it is younger than `keepYoungerThanS`. The newest version (`latest`) is always kept. A
 * policy with no rule is refused: it would delete every version but the newest.
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
}

/** The versions (of `newestFirst`, a collection's live versions newest first) the policy deletes. */
export function versionsToDelete(
  newestFirst: readonly RetainedVersion[],
  policy: RetentionPolicy,
  now: number,
): string[] {
  if (policy.keepLast === undefined && policy.keepAliased !== true && policy.keepYoungerThanS === undefined)
    throw new UsageError(
      "a retention policy needs at least one rule: keepLast, keepAliased or keepYoungerThanS",
    );
  return newestFirst
    .filter((version, index) => {
      if (index === 0) return false;
      if (policy.keepLast !== undefined && index < policy.keepLast) return false;
      if (policy.keepAliased === true && version.aliases.some((alias) => alias !== LATEST_ALIAS))
        return false;
      if (policy.keepYoungerThanS !== undefined && now - version.createdAt < policy.keepYoungerThanS)
        return false;
      return true;
    })
    .map((version) => version.version);
}
