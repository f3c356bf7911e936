/**
 * Rules for the aliases a client asks to place on a version: `latest` is the server's own (it
 * always names the newest version), so asking for it places nothing; a version name is never an
 * alias; each alias once.
 */
import { artifactNameProblem, LATEST_ALIAS, UsageError } from "@stepwise/protocol";

export function userAliases(requested: readonly string[], artifact: string): string[] {
  const out: string[] = [];
  for (const alias of requested) {
    if (alias === LATEST_ALIAS) continue;
    const problem = artifactNameProblem(alias, "alias");
    if (problem !== null) throw new UsageError(`alias '${alias}' of artifact '${artifact}': ${problem}`);
    if (!out.includes(alias)) out.push(alias);
  }
  return out;
}

/** `v${index}`: a version's own name. */
export function versionName(index: number): string {
  return `v${index}`;
}

/** The index a version name stands for, or null when `alias` is not a version name. */
export function versionIndex(alias: string): number | null {
  const match = /^v(0|[1-9][0-9]*)$/.exec(alias);
  return match === null ? null : Number(match[1]);
}
