/**
 * The items each run shows at the slider's position: those its entry carries (history fallback)
 * or those of the media index at the run's step, fetched for all runs in one request per
 * distinct step and cached per (run, key, step). The positions either side are fetched ahead
 * (and the images of the runs in view decoded), so that a slider move or an arrow key shows the
 * next step at once.
 */
import { useEffect, useMemo, useState } from "react";
import { entryAt, type MediaSeries } from "../../lib/media-steps.js";
import type { MediaItem } from "../../lib/media-values.js";
import type { ChartRun } from "../charts/chart-run.js";
import { loadImageLayers } from "./image-layers.js";
import { loadMediaAt } from "./media-api.js";

/** How long the step shown has the connections to itself before the steps either side are fetched. */
const AHEAD_DELAY_MS = 120;

export interface RunItems {
  step: number;
  /** null while loading. */
  items: MediaItem[] | null;
}

export function useMediaItems(
  runs: readonly ChartRun[],
  series: readonly MediaSeries[],
  key: string,
  x: number | null,
  neighbours: readonly number[],
  /** Whether a run's images are in view: only theirs are fetched ahead (a browser opens 6 connections per server). */
  inView: (runId: string) => boolean,
): ReadonlyMap<string, RunItems> {
  const wanted = useMemo(() => stepsAt(runs, series, x), [runs, series, x]);
  const signature = [...wanted].map(([id, e]) => `${id}:${e.step}`).join(",");
  const [loaded, setLoaded] = useState<ReadonlyMap<string, RunItems>>(new Map());
  useEffect(() => {
    const first = runs[0]?.run;
    if (first === undefined) return;
    let live = true;
    const pending = new Map<string, number>();
    const ready = new Map<string, RunItems>();
    for (const [runId, entry] of wanted) {
      if (entry.items !== null) ready.set(runId, { step: entry.step, items: entry.items });
      else pending.set(runId, entry.step);
    }
    const promises = loadMediaAt(first.entity, first.project, key, pending);
    // A run keeps what it shows until its next items arrive (its images are not unmounted between steps).
    setLoaded((known) => {
      const next = new Map(ready);
      for (const [runId, step] of pending) next.set(runId, known.get(runId) ?? { step, items: null });
      return next;
    });
    for (const [runId, promise] of promises)
      promise.then(
        (items) =>
          live && setLoaded((known) => new Map(known).set(runId, { step: pending.get(runId) ?? 0, items })),
        () =>
          live &&
          setLoaded((known) => new Map(known).set(runId, { step: pending.get(runId) ?? 0, items: [] })),
      );
    // Fetch ahead: the neighbouring positions' items, and their images decoded — once this
    // step's items are in and its images had a head start (AHEAD_DELAY_MS), so that what is
    // fetched ahead never queues before what is shown (a browser opens 6 connections per server).
    const fetchAhead = () => {
      for (const nx of neighbours) {
        const ahead = new Map<string, number>();
        for (const [runId, entry] of stepsAt(runs, series, nx))
          if (entry.items === null) ahead.set(runId, entry.step);
        for (const [runId, promise] of loadMediaAt(first.entity, first.project, key, ahead)) {
          const run = runs.find((r) => r.run.id === runId)?.run;
          if (run === undefined || !inView(runId)) continue;
          const ref = { entity: run.entity, project: run.project, runId };
          void promise
            .then((items) =>
              Promise.all(items.filter((i) => i.kind === "image").map((i) => loadImageLayers(ref, i))),
            )
            .catch(() => undefined);
        }
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    void Promise.allSettled(promises.values()).then(() => {
      if (live) timer = setTimeout(fetchAhead, AHEAD_DELAY_MS);
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [signature, key, neighbours.join(",")]);
  return loaded;
}

function stepsAt(
  runs: readonly ChartRun[],
  series: readonly MediaSeries[],
  x: number | null,
): Map<string, { step: number; items: MediaItem[] | null }> {
  const out = new Map<string, { step: number; items: MediaItem[] | null }>();
  if (x === null) return out;
  runs.forEach(({ run }, i) => {
    const s = series[i];
    const entry = s === undefined ? null : entryAt(s, x);
    if (entry !== null) out.set(run.id, { step: entry.step, items: entry.items });
  });
  return out;
}
