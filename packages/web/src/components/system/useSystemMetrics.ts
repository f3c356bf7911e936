/**
 * The system metrics of the charted runs (GET …/system, at most 500 samples each), read again
 * every 15 s while any of them runs (a sample comes every 15 s by default).
 */
import { useEffect, useState } from "react";
import { consolePaths, systemMetricsResponseSchema, type SystemMetricsResponse } from "@stepwise/protocol";
import { request } from "../../api/client.js";
import type { ChartRun } from "../charts/chart-run.js";

const REFRESH_MS = 15_000;
/** Runs whose system metrics are charted at most (one request each). */
export const SYSTEM_RUN_CAP = 20;

export interface SystemMetricsState {
  byRun: ReadonlyMap<string, SystemMetricsResponse>;
  error: unknown;
}

export function useSystemMetrics(runs: readonly ChartRun[]): SystemMetricsState {
  const [state, setState] = useState<SystemMetricsState>({ byRun: new Map(), error: null });
  const shown = runs.slice(0, SYSTEM_RUN_CAP);
  const signature = shown.map(({ run }) => `${run.entity}/${run.project}/${run.id}`).join("|");
  const running = shown.some(({ run }) => run.state === "running");
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = async (): Promise<void> => {
      try {
        const answers = await Promise.all(
          shown.map(async ({ run }) => {
            const ref = { entity: run.entity, project: run.project, runId: run.id };
            const path = `${consolePaths.system(ref)}?samples=500`;
            return [run.id, await request(systemMetricsResponseSchema, path, {}, controller.signal)] as const;
          }),
        );
        setState({ byRun: new Map(answers), error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((old) => ({ ...old, error }));
      }
      if (running && !controller.signal.aborted) timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      controller.abort();
      if (timer !== null) clearTimeout(timer);
    };
    // The runs are named by `signature`.
  }, [signature, running]);
  return state;
}
