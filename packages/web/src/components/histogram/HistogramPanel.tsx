/**
 * A workspace card for a histogram key: one heatmap per run (x = the chart's x-axis, y = bins,
 * colour = count), stacked, each named in its run's colour; a drag zooms every heatmap of the
 * card into the same x range and the server is asked for as many columns over that range, so
 * merged columns split into single steps as you zoom. Past MAX_HEATMAP_RUNS runs the rest are
 * counted, not drawn.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { WorkspaceView } from "../../lib/url-state.js";
import { chartXAxis, xAxisLabel } from "../../lib/chart-axes.js";
import { readDottedValue } from "../../lib/dotted-value.js";
import type { ChartRun } from "../charts/chart-run.js";
import { ChartHeader } from "../charts/ChartHeader.js";
import { useElementWidth } from "../charts/useElementWidth.js";
import { useInView } from "../charts/useInView.js";
import { HistogramHeatmap } from "./HistogramHeatmap.js";
import { useHistogram } from "./useHistogram.js";
import "../../styles/structured.css";

export const MAX_HEATMAP_RUNS = 6;

export interface HistogramPanelProps {
  chartKey: string;
  runs: readonly ChartRun[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  live: boolean;
  axisChoices: readonly string[];
  /** Shown above the heatmaps: the key also held other kinds of values. */
  warning?: string | null;
}

export function HistogramPanel(props: HistogramPanelProps) {
  const { chartKey, runs, view, onViewChange, live } = props;
  const ref = useRef<HTMLDivElement>(null);
  const { inView, seen } = useInView(ref);
  const width = useElementWidth(ref);
  const xAxis = chartXAxis(chartKey, "_step", view);
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  useEffect(() => setZoom(null), [xAxis]);
  // The runs whose summary holds a histogram under this key first: a run that never logged it
  // would only add an empty frame (its last value may be of another kind: then it still shows).
  const shown = useMemo(() => {
    const holding = runs.filter(({ run }) => typeof readDottedValue(run.summary, chartKey) === "object");
    return (holding.length > 0 ? holding : runs).slice(0, MAX_HEATMAP_RUNS);
  }, [runs, chartKey]);
  // Tall enough for a few y ticks per run.
  const height = shown.length <= 1 ? 190 : 150;
  return (
    <div className="chart-panel histogram-panel" data-testid="histogram-panel" data-key={chartKey} ref={ref}>
      <ChartHeader
        chartKey={chartKey}
        zoomed={zoom !== null}
        onResetZoom={() => setZoom(null)}
        autoXAxis={chartXAxis(chartKey, "_step", { xAxis: view.xAxis, panelX: {} })}
        axisChoices={props.axisChoices}
        view={view}
        onViewChange={onViewChange}
      />
      {props.warning != null && (
        <p className="kind-warning" data-testid="kind-warning">
          {props.warning}
        </p>
      )}
      {seen &&
        width > 0 &&
        shown.map(({ run, color }) => (
          <RunHeatmap
            key={run.id}
            run={{ entity: run.entity, project: run.project, runId: run.id }}
            name={shown.length > 1 ? run.name : null}
            color={color}
            chartKey={chartKey}
            xAxis={xAxis}
            columns={Math.max(50, Math.min(2000, width))}
            zoom={zoom}
            onZoom={setZoom}
            height={height}
            live={live && inView && run.state === "running"}
          />
        ))}
      {runs.length > MAX_HEATMAP_RUNS && shown.length === MAX_HEATMAP_RUNS && (
        <p className="chart-note">
          Heatmaps of {shown.length} of {runs.length} runs; hide runs to see others.
        </p>
      )}
    </div>
  );
}

interface RunHeatmapProps {
  run: { entity: string; project: string; runId: string };
  name: string | null;
  color: string;
  chartKey: string;
  xAxis: string;
  columns: number;
  zoom: readonly [number, number] | null;
  onZoom: (range: [number, number] | null) => void;
  height: number;
  live: boolean;
}

function RunHeatmap({
  run,
  name,
  color,
  chartKey,
  xAxis,
  columns,
  zoom,
  onZoom,
  height,
  live,
}: RunHeatmapProps) {
  const request = useMemo(
    () => ({ run, key: chartKey, xAxis, columns, zoom }),
    [run.entity, run.project, run.runId, chartKey, xAxis, columns, zoom],
  );
  const { frames, error } = useHistogram(request, live);
  const label =
    name === null ? null : (
      <div className="heatmap-run" style={{ borderColor: color }}>
        {name}
      </div>
    );
  if (frames === null || frames.length === 0) {
    const message =
      error !== null
        ? `Could not load: ${error instanceof Error ? error.message : "unknown error"}`
        : frames === null
          ? "Loading…"
          : `No histograms against ${xAxisLabel(xAxis)}`;
    return (
      <>
        {label}
        <div className="chart-placeholder" style={{ height }}>
          {message}
        </div>
      </>
    );
  }
  return (
    <>
      {label}
      <HistogramHeatmap
        id={`${chartKey}|${run.runId}`}
        frames={frames}
        xAxis={xAxis}
        height={height}
        zoom={zoom}
        onZoom={onZoom}
      />
    </>
  );
}
