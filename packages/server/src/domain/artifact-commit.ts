/**
 * The rules of committing an artifact version, whatever the store (the SQLite and PostgreSQL
 * artifact stores read what these need inside their write transaction, then apply the plan):
 * the same digest as the collection's latest version is that version, unchanged; a new
 * version is numbered one past the highest the collection ever had (deleted ones included, so
 * a name is never reused); its size counts stored files only; a collection keeps its type.
 */
import { isReferenceEntry, LATEST_ALIAS, UsageError, type ManifestEntry } from "@stepwise/protocol";

export type CommitPlan = { kind: "unchanged" } | { kind: "create"; index: number; size: number };

/**
 * `latestDigest`: the digest of the version `latest` names (null: none live); `topIndex`: the
 * highest index of any version the collection had, deleted or not (null: none).
 */
export function planCommit(
  latestDigest: string | null,
  topIndex: number | null,
  digest: string,
  entries: readonly ManifestEntry[],
): CommitPlan {
  if (latestDigest !== null && latestDigest === digest) return { kind: "unchanged" };
  return { kind: "create", index: (topIndex ?? -1) + 1, size: versionSize(entries) };
}

/** Bytes of a version: its stored files' sizes (a reference's bytes live elsewhere). */
export function versionSize(entries: readonly ManifestEntry[]): number {
  let size = 0;
  for (const entry of entries) if (!isReferenceEntry(entry)) size += entry.size;
  return size;
}

/** UsageError unless an artifact of type `stored` is given as `asked`. */
export function checkArtifactType(stored: string, asked: string, qualified: string): void {
  if (stored !== asked)
    throw new UsageError(
      `artifact '${qualified}' is of type '${stored}', not '${asked}': log it with type '${stored}' or choose another name`,
    );
}

/**
 * Setting a version's (or a registry link's) user aliases to exactly `wanted`: the aliases it
 * holds and are not wanted are removed; each wanted one is then placed on it, taken from
 * whichever version held it (an alias names one version of its collection).
 */
export function aliasesToDrop(held: readonly string[], wanted: readonly string[]): string[] {
  // `latest` is the server's own: never set or removed by hand.
  return held.filter((alias) => alias !== LATEST_ALIAS && !wanted.includes(alias));
}

/** `held` with each of `added` after it that it lacks: a pending version's aliases and tags. */
export function mergeValues(held: readonly string[], added: readonly string[]): string[] {
  const values = [...held];
  for (const value of added) if (!values.includes(value)) values.push(value);
  return values;
}
