/**
 * Deep merge for run config: a config record or patch is a nested delta, merged key by key into
 * plain objects and replacing anything else (arrays and scalars are values, not containers).
 * Returns a new object; the inputs are not changed.
 */
export function deepMerge(
  target: Record<string, unknown>,
  update: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const existing = Object.hasOwn(out, key) ? out[key] : undefined;
    const merged = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
    // defineProperty, not assignment: a "__proto__" key (JSON allows it) stays a plain member.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
