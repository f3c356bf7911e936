/**
 * The run's metric definitions as the server keeps them: the latest definition per name (a
 * re-definition replaces the earlier one in place, so the list keeps first-definition order).
 */
import type { MetricRecord } from "@stepwise/protocol";

export function upsertMetricDefinition(
  metrics: readonly MetricRecord[],
  record: MetricRecord,
): MetricRecord[] {
  const index = metrics.findIndex((m) => m.name === record.name);
  if (index < 0) return [...metrics, record];
  const out = [...metrics];
  out[index] = record;
  return out;
}
