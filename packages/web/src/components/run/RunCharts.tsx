/**
 * The run's charts: the workspace's chart panels for this one run, with the chart settings
 * (x-axis, smoothing, log scales) in the URL like the workspace's, so a run page view can be
 * shared as it is.
 */
import { useMemo } from "react";
import type { RunDto } from "@stepwise/protocol";
import { ChartPanels, type ChartRun } from "../charts/ChartPanels.js";
import { useWorkspaceView } from "../workspace/useWorkspaceView.js";
import { runColor } from "../../lib/run-colors.js";

export function RunCharts({ run }: { run: RunDto }) {
  const [view, update] = useWorkspaceView();
  // A stable array: the panels re-query when their runs change, not on every render.
  const runs = useMemo<ChartRun[]>(() => [{ run, color: runColor(run) }], [run]);
  return (
    <section className="run-charts" data-testid="run-charts" id="charts">
      <div className="card-head">
        <h2>Charts</h2>
      </div>
      <div className="run-charts-body">
        <ChartPanels runs={runs} view={view} onViewChange={update} media={false} />
      </div>
    </section>
  );
}
