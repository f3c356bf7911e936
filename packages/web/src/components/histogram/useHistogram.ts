/**
 * Fetches one run's histogram key as a heatmap (POST …/histograms/query): about one column per
 * pixel of width (the server merges more histograms than that into a column, as the series
 * query buckets points), over the zoomed x range when zoomed, refetched every LIVE_POLL_MS while
 * the run is live. The previous answer stays on screen while the next loads.
 */
import { useEffect, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import { queryHistogram } from "../../api/structured-client.js";
import { heatmapFrames } from "../../lib/heatmap-frames.js";
import type { HistogramFrame } from "../../lib/heatmap-raster.js";
import { LIVE_POLL_MS } from "../charts/useSeries.js";

export interface HistogramRequest {
  run: RunRef;
  key: string;
  xAxis: string;
  columns: number;
  zoom: readonly [number, number] | null;
}

export interface HistogramState {
  frames: HistogramFrame[] | null;
  /** Histograms in range, whatever the columns. */
  count: number;
  error: unknown;
}

export function useHistogram(request: HistogramRequest | null, live: boolean): HistogramState {
  const [state, setState] = useState<HistogramState>({ frames: null, count: 0, error: null });
  const requestKey = request === null ? "" : JSON.stringify(request);
  useEffect(() => {
    if (request === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const { run, key, xAxis, columns, zoom } = request;
    const range = zoom === null ? {} : { xMin: Math.min(...zoom), xMax: Math.max(...zoom) };
    const load = async (): Promise<void> => {
      try {
        const heatmap = await queryHistogram(run, { key, xAxis, columns, ...range }, controller.signal);
        setState({ frames: heatmapFrames(heatmap), count: heatmap.count, error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error }));
      }
      if (live && !controller.signal.aborted) timer = setTimeout(() => void load(), LIVE_POLL_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // requestKey stands for `request`.
  }, [requestKey, live]);
  return state;
}
