/** Recognises a logged histogram value (W&B's `{ _type: "histogram", values, bins }`). */

/** The bins and counts of a histogram value, or null for anything else. */
export function histogramOf(value: unknown): { bins: number[]; counts: number[] } | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (record._type !== "histogram" || !Array.isArray(record.values) || !Array.isArray(record.bins))
    return null;
  const counts = record.values.filter((v): v is number => typeof v === "number");
  const bins = record.bins.filter((v): v is number => typeof v === "number");
  if (counts.length === 0 || bins.length !== counts.length + 1) return null;
  return { bins, counts };
}
