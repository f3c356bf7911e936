/**
 * The rules for editing a run's name and tags in the UI, the same as the server's
 * (`updateRunBodySchema`: a name of 1–256 characters, each tag 1–64, at most 256 tags), checked
 * before the PATCH so the user reads why at once. Input is trimmed; a comma separates several
 * tags, since tags travel as comma lists elsewhere (`STEPWISE_TAGS`, the `tags` query parameter).
 */

export const MAX_NAME_LENGTH = 256;

export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS = 256;

export type NameEdit = { ok: true; name: string } | { ok: false; error: string };

/** The trimmed name, or why it cannot be saved. */
export function checkRunName(input: string): NameEdit {
  const name = input.trim();
  if (name === "") return { ok: false, error: "A run needs a name." };
  if (name.length > MAX_NAME_LENGTH) {
    return {
      ok: false,
      error: `A name is at most ${MAX_NAME_LENGTH} characters; this one has ${name.length}.`,
    };
  }
  return { ok: true, name };
}

export type TagEdit = { ok: true; tags: string[] } | { ok: false; error: string };

/** Adds the tag(s) typed in `input` after the existing ones, or says why it cannot. */
export function addTags(tags: readonly string[], input: string): TagEdit {
  const parts = input
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) return { ok: false, error: "Type a tag first." };
  const tooLong = parts.find((part) => part.length > MAX_TAG_LENGTH);
  if (tooLong !== undefined) {
    return {
      ok: false,
      error: `A tag is at most ${MAX_TAG_LENGTH} characters; "${tooLong.slice(0, 20)}…" has ${tooLong.length}.`,
    };
  }
  const added = [...new Set(parts)].filter((part) => !tags.includes(part));
  if (added.length === 0) {
    const [first] = parts;
    return {
      ok: false,
      error: parts.length === 1 ? `"${first}" is already a tag.` : "These are already tags.",
    };
  }
  if (tags.length + added.length > MAX_TAGS) {
    return { ok: false, error: `A run has at most ${MAX_TAGS} tags; remove one first.` };
  }
  return { ok: true, tags: [...tags, ...added] };
}

/** The tags without `tag`. */
export function removeTag(tags: readonly string[], tag: string): string[] {
  return tags.filter((t) => t !== tag);
}
