/**
 * Whether a logged value is a nested namespace (`{"train": {"loss": 1}}`) that flattens into
 * dotted names, as opposed to a leaf. Arrays and objects with a `_type` (media, tables and other
 * data-type references) are leaves: they are one value, not a namespace.
 */
export function isNestedObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("_type" in value);
}
