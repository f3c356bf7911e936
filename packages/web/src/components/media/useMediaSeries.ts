/**
 * The media entries of one key for each run of a panel, loaded once the panel has come into
 * view (`enabled`), from the per-(run, key, x-axis) cache. `version` changes when a run has
 * logged more (its summary changed), so a live run's new images arrive.
 */
import { useEffect, useState } from "react";
import type { MediaSeries } from "../../lib/media-steps.js";
import type { ChartRun } from "../charts/chart-run.js";
import { loadMediaSeries } from "./media-cache.js";

export interface MediaSeriesState {
  /** Run id → its entries; null until every run's are in. */
  series: ReadonlyMap<string, MediaSeries> | null;
  error: unknown;
}

export function useMediaSeries(
  runs: readonly ChartRun[],
  key: string,
  xKey: string,
  enabled: boolean,
): MediaSeriesState {
  const [state, setState] = useState<MediaSeriesState>({ series: null, error: null });
  const signature = runs
    .map(({ run }) => `${run.entity}\u0000${run.project}\u0000${run.id}\u0000${versionOf(run)}`)
    .join("\u0001");
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    Promise.all(
      runs.map(async ({ run }) => {
        const ref = { entity: run.entity, project: run.project, runId: run.id };
        return [run.id, await loadMediaSeries(ref, key, xKey, versionOf(run))] as const;
      }),
    ).then(
      (pairs) => live && setState({ series: new Map(pairs), error: null }),
      (error: unknown) => live && setState({ series: null, error }),
    );
    return () => {
      live = false;
    };
  }, [signature, key, xKey, enabled]);
  return state;
}

/** What changes when a run logs more: its state and its last history step. */
function versionOf(run: { state?: string; summary?: Record<string, unknown> }): string {
  const step = run.summary?.["_step"];
  return `${run.state ?? ""}:${typeof step === "number" ? step : ""}`;
}
