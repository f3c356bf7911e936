/**
 * One chart card: title, its own x-axis choice and log toggle, and the line chart of its runs.
 * It fetches only once it has come near the viewport and polls only while there (and a run is
 * running). A drag zooms: the same number of buckets is asked for over the selected range.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { WorkspaceView } from "../../lib/url-state.js";
import { chartXAxis, seriesWindow } from "../../lib/chart-axes.js";
import { nonFiniteNotice } from "../../lib/point-markers.js";
import { runLine, type RunLine } from "../../lib/series-alignment.js";
import type { Smoothing } from "../../lib/smoothing.js";
import type { ChartRun } from "./chart-run.js";
import { ChartHeader } from "./ChartHeader.js";
import { LineChart, type LineChartProps } from "./LineChart.js";
import { useElementWidth } from "./useElementWidth.js";
import { useInView } from "./useInView.js";
import { useSeries } from "./useSeries.js";

export interface ChartPanelProps {
  chartKey: string;
  defaultX: string;
  runs: readonly ChartRun[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  smoothing: Smoothing;
  live: boolean;
  axisChoices: readonly string[];
}

export const CHART_HEIGHT = 190;

export function ChartPanel(props: ChartPanelProps) {
  const { chartKey, defaultX, runs, view, onViewChange, smoothing, live } = props;
  const ref = useRef<HTMLDivElement>(null);
  const { inView, seen, width: seenWidth } = useInView(ref);
  // The observed width first, so the first query need not wait for a ResizeObserver report.
  const width = useElementWidth(ref) || seenWidth;
  const xAxis = chartXAxis(chartKey, defaultX, view);
  const autoXAxis = chartXAxis(chartKey, defaultX, { xAxis: view.xAxis, panelX: {} });
  const logScale = view.logScale.includes(chartKey);
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  useEffect(() => setZoom(null), [xAxis]);

  const refs = useMemo(
    () => runs.map(({ run }) => ({ entity: run.entity, project: run.project, runId: run.id })),
    [runs],
  );
  const request =
    seen && width > 0 ? { runs: refs, key: chartKey, xAxis, window: seriesWindow(zoom, width) } : null;
  const state = useSeries(request, live && inView);
  const series = state.xAxis === xAxis ? state.series : null;
  const lines = useMemo(() => {
    if (series === null) return null;
    const byRun = new Map(series.map((s) => [s.run.runId, s]));
    const out: RunLine[] = [];
    for (const { run } of runs) {
      const s = byRun.get(run.id);
      if (s !== undefined && s.x.length > 0) out.push(runLine(run.id, s, smoothing));
    }
    return out;
  }, [series, runs, smoothing]);
  const colors = useMemo(() => new Map(runs.map(({ run, color }) => [run.id, color])), [runs]);
  const names = useMemo(() => new Map(runs.map(({ run }) => [run.id, run.name])), [runs]);

  const toggleLog = (): void =>
    onViewChange({
      logScale: logScale ? view.logScale.filter((k) => k !== chartKey) : [...view.logScale, chartKey],
    });

  return (
    <div className="chart-panel" data-testid="chart" data-key={chartKey} ref={ref}>
      <ChartHeader
        chartKey={chartKey}
        zoomed={zoom !== null}
        onResetZoom={() => setZoom(null)}
        autoXAxis={autoXAxis}
        axisChoices={props.axisChoices}
        view={view}
        onViewChange={onViewChange}
      >
        <button
          type="button"
          className={logScale ? "chart-button active" : "chart-button"}
          data-testid="chart-log-toggle"
          aria-pressed={logScale}
          onClick={toggleLog}
          title="Logarithmic y-axis"
        >
          log
        </button>
      </ChartHeader>
      <ChartBody
        chartKey={chartKey}
        lines={lines}
        error={state.error}
        seen={seen}
        colors={colors}
        names={names}
        xAxis={xAxis}
        logScale={logScale}
        zoom={zoom}
        onZoom={setZoom}
      />
    </div>
  );
}

type ChartBodyProps = Omit<LineChartProps, "lines" | "height"> & {
  lines: RunLine[] | null;
  error: unknown;
  seen: boolean;
};

function ChartBody({ lines, error, seen, ...chart }: ChartBodyProps) {
  if (lines === null || lines.length === 0) {
    const message =
      error !== null && lines === null
        ? `Could not load: ${error instanceof Error ? error.message : "unknown error"}`
        : lines === null
          ? seen
            ? "Loading…"
            : ""
          : `No points for this key against ${chart.xAxis}`;
    return (
      <div className="chart-placeholder" style={{ height: CHART_HEIGHT }}>
        {message}
      </div>
    );
  }
  // Points, none finite: an empty plot would look like a bug or like missing data.
  const notice = nonFiniteNotice(lines);
  if (notice !== null)
    return (
      <div className="chart-placeholder" data-testid="chart-notice" style={{ height: CHART_HEIGHT }}>
        {notice}
      </div>
    );
  return <LineChart {...chart} lines={lines} height={CHART_HEIGHT} />;
}
