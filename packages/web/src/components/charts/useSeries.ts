/**
 * Fetches one chart's series (all its runs in one query), refetching when the query changes
 * (the previous request is aborted) and every 1.5 s while `live` (a run is still running). The
 * previous answer stays on screen while the next one loads, so charts never flash empty.
 */
import { useEffect, useRef, useState } from "react";
import type { RunRef, SeriesResultDto } from "@stepwise/protocol";
import { querySeries } from "../../api/client.js";
import type { SeriesWindow } from "../../lib/chart-axes.js";

export interface SeriesRequest {
  runs: RunRef[];
  key: string;
  xAxis: string;
  window: SeriesWindow;
}

export interface SeriesState {
  series: SeriesResultDto[] | null;
  /** The x-axis `series` was fetched for: a chart ignores data of the axis it just left. */
  xAxis: string;
  error: unknown;
  loading: boolean;
}

/**
 * The pause between a chart's refetches while a run is running: the issue asks for updates
 * within 2 s, and a query itself takes up to a few hundred ms on a busy workspace.
 */
export const LIVE_POLL_MS = 1500;

export function useSeries(request: SeriesRequest | null, live: boolean): SeriesState {
  const [state, setState] = useState<SeriesState>({ series: null, xAxis: "", error: null, loading: false });
  const requestKey = request === null ? "" : JSON.stringify(request);
  const latest = useRef(request);
  latest.current = request;

  useEffect(() => {
    const query = latest.current;
    if (query === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      setState((s) => (s.loading ? s : { ...s, loading: true }));
      try {
        const series = await querySeries(
          { runs: query.runs, keys: [query.key], xAxis: query.xAxis, ...query.window },
          controller.signal,
        );
        setState({ series, xAxis: query.xAxis, error: null, loading: false });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error, loading: false }));
      }
      if (live && !controller.signal.aborted) timer = setTimeout(() => void load(), LIVE_POLL_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [requestKey, live]);

  return state;
}
