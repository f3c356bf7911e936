/**
 * The media entries of one key for each run of a panel, loaded once the panel has come into
 * view (`enabled`). From the server's media index: the steps per run (one request for all the
 * runs), the key's kinds (a changed type is warned about), and for another x-axis than `_step`
 * that metric's values by step (its history column). Items are fetched per step when shown
 * (useMediaItems). A server without the media index (an older one) answers 404: then the key's
 * history is read and the entries carry their items. `version` changes when a run logged more.
 */
import { useEffect, useState } from "react";
import { listKeyKinds } from "../../api/structured-client.js";
import { fetchHistoryRows } from "../../api/client.js";
import { indexSeriesOf, STEP_AXIS, xValuesOf, type MediaSeries } from "../../lib/media-steps.js";
import { splitDottedPath } from "@stepwise/protocol";
import type { ChartRun } from "../charts/chart-run.js";
import { loadMediaSeries } from "./media-cache.js";
import { loadMediaSteps } from "./media-api.js";

export interface MediaSeriesState {
  /** Run id → its entries; null until every run's are in. */
  series: ReadonlyMap<string, MediaSeries> | null;
  /** The kinds the key held when they are more than its panel's own (a changed type), else null. */
  mixed: string[] | null;
  error: unknown;
}

export function useMediaSeries(
  runs: readonly ChartRun[],
  key: string,
  xKey: string,
  enabled: boolean,
): MediaSeriesState {
  const [state, setState] = useState<MediaSeriesState>({ series: null, mixed: null, error: null });
  const version = runs.map(({ run }) => `${run.id}\u0000${versionOf(run)}`).join("\u0001");
  useEffect(() => {
    if (!enabled || runs.length === 0) return;
    let live = true;
    const first = runs[0]?.run;
    if (first === undefined) return;
    const ids = runs.map(({ run }) => run.id);
    const fromIndex = async (): Promise<MediaSeriesState> => {
      const [steps, kinds, xs] = await Promise.all([
        loadMediaSteps(first.entity, first.project, key, ids, version),
        listKeyKinds(first.entity, first.project, ids).catch(() => []),
        xKey === STEP_AXIS ? null : xValuesByRun(runs, xKey),
      ]);
      const series = new Map<string, MediaSeries>();
      for (const { run } of runs)
        series.set(run.id, {
          entries: indexSeriesOf(steps.get(run.id) ?? [], xKey, xs?.get(run.id) ?? null),
          kinds: [],
        });
      const entry = kinds.find((k) => k.key === key);
      const mixed = entry?.mixed === true ? entry.kinds.map((k) => k.kind) : null;
      return { series, mixed, error: null };
    };
    const fromHistory = async (): Promise<MediaSeriesState> => {
      const pairs = await Promise.all(
        runs.map(async ({ run }) => {
          const ref = { entity: run.entity, project: run.project, runId: run.id };
          return [run.id, await loadMediaSeries(ref, key, xKey, versionOf(run))] as const;
        }),
      );
      const all = new Set(pairs.flatMap(([, s]) => s.kinds));
      return { series: new Map(pairs), mixed: all.size > 1 ? [...all].sort() : null, error: null };
    };
    fromIndex()
      .catch((error: unknown) => {
        if (isMissingRoute(error)) return fromHistory();
        throw error instanceof Error ? error : new Error("the media index did not answer");
      })
      .then(
        (next) => live && setState(next),
        (error: unknown) => live && setState({ series: null, mixed: null, error }),
      );
    return () => {
      live = false;
    };
  }, [version, key, xKey, enabled]);
  return state;
}

async function xValuesByRun(
  runs: readonly ChartRun[],
  xKey: string,
): Promise<Map<string, Map<number, number>>> {
  const top = splitDottedPath(xKey)[0] ?? xKey;
  const pairs = await Promise.all(
    runs.map(async ({ run }) => {
      const rows = await fetchHistoryRows({ entity: run.entity, project: run.project, runId: run.id }, [top]);
      return [run.id, xValuesOf(rows, xKey)] as const;
    }),
  );
  return new Map(pairs);
}

function isMissingRoute(error: unknown): boolean {
  return typeof error === "object" && error !== null && "status" in error && error.status === 404;
}

/** What changes when a run logs more: its state and its last history step. */
function versionOf(run: { state?: string; summary?: Record<string, unknown> }): string {
  const step = run.summary?.["_step"];
  return `${run.state ?? ""}:${typeof step === "number" ? step : ""}`;
}
