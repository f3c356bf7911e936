/**
 * The media keys of the runs in the workspace (from their summaries' media values, each with its
 * kind) and those the metric search matches: the sections put a media panel beside the charts
 * for each.
 */
import { useMemo } from "react";
import { filterMetrics, type MetricSearch } from "../../lib/metric-search.js";
import { mediaKeysOf, type MediaKind } from "../../lib/media-values.js";
import type { ChartRun } from "../charts/chart-run.js";

export interface MediaKeys {
  kinds: ReadonlyMap<string, MediaKind>;
  matching: string[];
}

export function useMediaKeys(runs: readonly ChartRun[], search: MetricSearch): MediaKeys {
  const kinds = useMemo(() => mediaKeysOf(runs.map(({ run }) => run.summary)), [runs]);
  const signature = [...kinds].map(([k, v]) => `${k}\u0000${v}`).join("\u0001");
  const stable = useMemo(() => kinds, [signature]);
  const matching = useMemo(() => filterMetrics([...stable.keys()], search, (k) => k), [stable, search]);
  return { kinds: stable, matching };
}
