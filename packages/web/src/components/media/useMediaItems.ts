/**
 * The items each run shows at the slider's position: those its entry carries (history fallback)
 * or those of the media index at the run's step, cached per (run, key, step): the runs in view
 * in one request at high priority (and their images as soon as their items arrive, in one batch:
 * media-batch.ts), the others in a second one after them. The positions either side are fetched
 * ahead at low priority (and the images of the runs in view decoded), so that an arrow key shows
 * the next step at once. A jump calls off what is no longer wanted
 * (lib/called-off.ts): the previous step's loads still in flight and what was fetched ahead for
 * positions no longer beside the slider, so that the new step's requests wait behind nothing.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { entryAt, type MediaSeries } from "../../lib/media-steps.js";
import type { MediaItem } from "../../lib/media-values.js";
import type { ChartRun } from "../charts/chart-run.js";
import { loadImageLayers, startedLayers } from "./image-layers.js";
import { loadMediaAt } from "./media-api.js";

/** How long after its images are in the step shown has the connections to itself before the steps either side are fetched. */
const AHEAD_DELAY_MS = 60;

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
  /** Whether a run's images are in view: theirs are fetched first, and only theirs ahead. */
  inView: (runId: string) => boolean,
): ReadonlyMap<string, RunItems> {
  const wanted = useMemo(() => stepsAt(runs, series, x), [runs, series, x]);
  const signature = [...wanted].map(([id, e]) => `${id}:${e.step}`).join(",");
  const [loaded, setLoaded] = useState<ReadonlyMap<string, RunItems>>(new Map());
  // Per slider position fetched ahead, its round of requests (called off once no longer beside the slider).
  const rounds = useRef(new Map<number, AbortController>());
  useEffect(() => {
    const first = runs[0]?.run;
    if (first === undefined) return;
    let live = true;
    // Called off when the slider leaves this position before its items arrived.
    const shown = new AbortController();
    const pending = new Map<string, number>();
    const ready = new Map<string, RunItems>();
    for (const [runId, entry] of wanted) {
      if (entry.items !== null) ready.set(runId, { step: entry.step, items: entry.items });
      else pending.set(runId, entry.step);
    }
    // A run keeps what it shows until its next items arrive (its images are not unmounted between steps).
    setLoaded((known) => {
      const next = new Map(ready);
      for (const [runId, step] of pending) next.set(runId, known.get(runId) ?? { step, items: null });
      return next;
    });
    const request = (steps: ReadonlyMap<string, number>, priority: RequestPriority) => {
      const options = { priority, signal: shown.signal };
      const got = loadMediaAt(first.entity, first.project, key, steps, options);
      for (const [runId, promise] of got)
        promise.then(
          (items) => {
            // The images of the runs in view are asked for as their items arrive, not once their
            // canvases rendered (which join these loads): one batch, sent a render sooner.
            const run = runs.find((r) => r.run.id === runId)?.run;
            if (live && priority === "high" && run !== undefined && inView(runId)) {
              const ref = { entity: run.entity, project: run.project, runId };
              for (const item of items)
                if (item.kind === "image") loadImageLayers(ref, item, false, options).catch(() => undefined);
            }
            if (live) setLoaded((known) => new Map(known).set(runId, { step: steps.get(runId) ?? 0, items }));
          },
          () =>
            live &&
            setLoaded((known) => new Map(known).set(runId, { step: steps.get(runId) ?? 0, items: [] })),
        );
      return got;
    };
    // The images that the canvases asked for once they had these items.
    const imagesOf = (got: ReadonlyMap<string, Promise<MediaItem[]>>) =>
      Promise.allSettled(
        [...got].map(([runId, promise]) => {
          const run = runs.find((r) => r.run.id === runId)?.run;
          if (run === undefined) return promise;
          const ref = { entity: run.entity, project: run.project, runId };
          return promise
            .then((items) => new Promise<MediaItem[]>((resolve) => setTimeout(() => resolve(items), 0)))
            .then((items) => Promise.allSettled(items.flatMap((i) => startedLayers(ref, i) ?? [])));
        }),
      );
    // The runs in view first, in a request of their own, and their images: the server, the
    // connections and the page's thread are theirs until those are in. Then the other runs, then
    // the positions either side.
    const seen = new Map([...pending].filter(([runId]) => inView(runId)));
    const rest = new Map([...pending].filter(([runId]) => !seen.has(runId)));
    const front = imagesOf(request(seen.size > 0 ? seen : rest, "high"));
    const shownIn =
      seen.size > 0 && rest.size > 0
        ? front.then(() => (live ? imagesOf(request(rest, "low")) : undefined))
        : front;
    // What was fetched ahead for positions no longer beside this one is called off.
    const keep = new Set([...neighbours, ...(x === null ? [] : [x])]);
    for (const [at, round] of rounds.current)
      if (!keep.has(at)) {
        round.abort();
        rounds.current.delete(at);
      }
    // Fetch ahead: the neighbouring positions' items, and the images of the runs in view decoded,
    // at low priority — once this step's items are in and its images had a head start
    // (AHEAD_DELAY_MS), so that what is fetched ahead never queues before what is shown.
    const fetchAhead = () => {
      for (const nx of neighbours) {
        if (rounds.current.has(nx)) continue;
        const round = new AbortController();
        rounds.current.set(nx, round);
        const options = { priority: "low", signal: round.signal } as const;
        const ahead = new Map<string, number>();
        for (const [runId, entry] of stepsAt(runs, series, nx))
          if (entry.items === null) ahead.set(runId, entry.step);
        for (const [runId, promise] of loadMediaAt(first.entity, first.project, key, ahead, options)) {
          const run = runs.find((r) => r.run.id === runId)?.run;
          if (run === undefined || !inView(runId)) continue;
          const ref = { entity: run.entity, project: run.project, runId };
          void promise
            .then((items) =>
              Promise.all(
                items.filter((i) => i.kind === "image").map((i) => loadImageLayers(ref, i, false, options)),
              ),
            )
            .catch(() => undefined);
        }
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    void shownIn.then(() => {
      if (live) timer = setTimeout(fetchAhead, AHEAD_DELAY_MS);
    });
    return () => {
      live = false;
      shown.abort();
      clearTimeout(timer);
    };
  }, [signature, key, neighbours.join(",")]);
  // Leaving the page calls off everything still fetched ahead.
  useEffect(() => {
    const open = rounds.current;
    return () => {
      for (const round of open.values()) round.abort();
      open.clear();
    };
  }, []);
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
