/**
 * Tag rules (W&B reference §1.7, and the limits table in protocol): each tag 1–64 characters
 * without control or bidirectional-text characters, at most 256 tags.
 */
import { LIMITS, nameProblem } from "@stepwise/protocol";

/** What is wrong with `tags` as a tag list, naming the tag, the limit and the fix; or null. */
export function checkTagList(tags: unknown): string | null {
  if (!Array.isArray(tags)) return "run.tags must be an array of strings";
  for (const tag of tags as unknown[]) {
    const problem = nameProblem("tag", tag);
    if (problem !== null) return `run.tags: the tag ${JSON.stringify(tag)} ${problem}`;
  }
  if (new Set(tags).size > LIMITS.tags)
    return `run.tags: ${tags.length} tags; a run has at most ${LIMITS.tags}`;
  return null;
}
