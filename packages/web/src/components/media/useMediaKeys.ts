/**
 * The media keys of the runs in the workspace, each with its kind, and those the metric search
 * matches: the sections put a media panel beside the charts for each. Known at once from the
 * runs' summaries (the last value of each key), then from the server's key kinds (a key whose
 * last value is no longer media still held media: its panel stays, with a warning).
 */
import { useEffect, useMemo, useState } from "react";
import { listKeyKinds } from "../../api/structured-client.js";
import { filterMetrics, type MetricSearch } from "../../lib/metric-search.js";
import { MEDIA_KINDS, mediaKeysOf, type MediaKind } from "../../lib/media-values.js";
import type { ChartRun } from "../charts/chart-run.js";

export interface MediaKeys {
  kinds: ReadonlyMap<string, MediaKind>;
  matching: string[];
}

const PANEL_KINDS = new Map<string, MediaKind>([
  ...MEDIA_KINDS.map((k) => [k, k] as const),
  ["object3D", "object3d"],
]);

export function useMediaKeys(runs: readonly ChartRun[], search: MetricSearch): MediaKeys {
  const fromSummaries = useMemo(() => mediaKeysOf(runs.map(({ run }) => run.summary)), [runs]);
  const [indexed, setIndexed] = useState<ReadonlyMap<string, MediaKind>>(new Map());
  const ids = runs.map(({ run }) => run.id).join(",");
  const first = runs[0]?.run;
  useEffect(() => {
    if (first === undefined) return;
    const controller = new AbortController();
    listKeyKinds(first.entity, first.project, ids.split(","), controller.signal).then(
      (keys) => {
        const found = new Map<string, MediaKind>();
        for (const entry of keys) {
          const media = entry.kinds.map((k) => PANEL_KINDS.get(k.panel)).find((k) => k !== undefined);
          if (media !== undefined) found.set(entry.key, media);
        }
        setIndexed(found);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [first?.entity, first?.project, ids]);
  const kinds = useMemo(() => new Map([...indexed, ...fromSummaries]), [indexed, fromSummaries]);
  const signature = [...kinds].map(([k, v]) => `${k}\u0000${v}`).join("\u0001");
  const stable = useMemo(() => kinds, [signature]);
  const matching = useMemo(() => filterMetrics([...stable.keys()], search, (k) => k), [stable, search]);
  return { kinds: stable, matching };
}
