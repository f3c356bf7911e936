/**
 * The structured keys of the charted runs and what their panels need: histogram and table keys
 * from the runs' summaries and custom chart keys from their config (no request), then the
 * custom charts resolved by the server (one GET per run that has any, the first
 * MAX_STRUCTURED_RUNS), the presets (which overlay runs) and the kinds each key held (one
 * key-kinds GET, also for workspaces of line charts only: a number key that later held strings
 * gets a warning too). A failed request leaves its
 * part out; the line charts never wait on any of this.
 */
import { useEffect, useMemo, useState } from "react";
import type { ChartPreset, CustomChart } from "@stepwise/protocol";
import { listKeyKinds, listPresets, listRunCharts } from "../../api/structured-client.js";
import { filterMetrics, type MetricSearch } from "../../lib/metric-search.js";
import { kindWarning, structuredKeysOf, type StructuredKind } from "../../lib/structured-keys.js";
import type { ChartRun } from "./chart-run.js";

export const MAX_STRUCTURED_RUNS = 20;

export interface StructuredPanels {
  kinds: ReadonlyMap<string, StructuredKind>;
  /** The keys the metric search matches. */
  matching: string[];
  /** Custom charts by key: each run that logged the key with its chart. */
  charts: ReadonlyMap<string, ReadonlyArray<{ run: ChartRun; chart: CustomChart }>>;
  presets: ReadonlyMap<string, ChartPreset>;
  warnings: ReadonlyMap<string, string>;
}

interface Fetched {
  charts: StructuredPanels["charts"];
  presets: StructuredPanels["presets"];
  warnings: StructuredPanels["warnings"];
}

const NOTHING: Fetched = { charts: new Map(), presets: new Map(), warnings: new Map() };

export function useStructuredPanels(runs: readonly ChartRun[], search: MetricSearch): StructuredPanels {
  const computed = useMemo(() => structuredKeysOf(runs.map(({ run }) => run)), [runs]);
  const signature = [...computed].map(([k, v]) => `${k}\u0000${v}`).join("\u0001");
  const kinds = useMemo(() => computed, [signature]);
  const matching = useMemo(() => filterMetrics([...kinds.keys()], search, (k) => k), [kinds, search]);
  const [fetched, setFetched] = useState<Fetched>(NOTHING);
  const withCharts = runs.slice(0, MAX_STRUCTURED_RUNS);
  const runsKey = withCharts.map(({ run }) => run.id).join(",");

  useEffect(() => {
    const first = withCharts[0]?.run;
    if (first === undefined) {
      setFetched(NOTHING);
      return;
    }
    const controller = new AbortController();
    const { signal } = controller;
    const chartKeys = [...kinds].filter(([, kind]) => kind === "custom").map(([key]) => key);
    const load = async (): Promise<void> => {
      const perRun =
        chartKeys.length === 0
          ? []
          : await Promise.all(
              withCharts.map(async (chartRun) => {
                const { entity, project, id } = chartRun.run;
                const list = await listRunCharts({ entity, project, runId: id }, signal).catch(() => []);
                return { chartRun, list };
              }),
            );
      const [presets, keyKinds] = await Promise.all([
        chartKeys.length === 0 ? [] : listPresets(signal).catch(() => []),
        listKeyKinds(
          first.entity,
          first.project,
          withCharts.map(({ run }) => run.id),
          signal,
        ).catch(() => []),
      ]);
      if (signal.aborted) return;
      const charts = new Map<string, Array<{ run: ChartRun; chart: CustomChart }>>();
      for (const { chartRun, list } of perRun) {
        for (const chart of list) {
          const known = charts.get(chart.key);
          if (known === undefined) charts.set(chart.key, [{ run: chartRun, chart }]);
          else known.push({ run: chartRun, chart });
        }
      }
      const warnings = new Map<string, string>();
      for (const entry of keyKinds) {
        const warning = kindWarning(entry.key, entry.kinds, entry.mixed);
        if (warning !== null) warnings.set(entry.key, warning);
      }
      setFetched({ charts, presets: new Map(presets.map((p) => [p.id, p])), warnings });
    };
    void load().catch(() => undefined);
    return () => controller.abort();
    // runsKey stands for the runs (their ids); kinds changes when a new key appears. Refetched
    // then, not on every poll: a kind change shows on the next page load or new key.
  }, [runsKey, kinds]);

  return { kinds, matching, ...fetched };
}
