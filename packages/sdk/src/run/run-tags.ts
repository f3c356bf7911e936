/** Tag rules (W&B reference §1.7): each tag a string of 1–64 characters. */
export function checkTagList(tags: unknown): string | null {
  if (!Array.isArray(tags)) return "Tags must be an array of strings";
  const bad = tags.filter((t) => typeof t !== "string" || t.length < 1 || t.length > 64);
  return bad.length === 0
    ? null
    : `Invalid tag detected: ${bad.map((t) => JSON.stringify(t)).join(", ")} (each tag must be 1–64 characters)`;
}
