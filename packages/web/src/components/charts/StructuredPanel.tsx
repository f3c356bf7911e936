/**
 * The panel of a structured key in a workspace section: a histogram key's heatmaps, a table
 * key's table, a custom chart; with the key's kind warning when its values changed kind.
 */
import type { WorkspaceView } from "../../lib/url-state.js";
import { HistogramPanel } from "../histogram/HistogramPanel.js";
import { TablePanel } from "../table/TablePanel.js";
import type { ChartRun } from "./chart-run.js";
import type { StructuredPanels } from "./useStructuredPanels.js";
import { CustomChartPanel } from "./vega/CustomChartPanel.js";

export interface StructuredPanelProps {
  chartKey: string;
  panels: StructuredPanels;
  runs: readonly ChartRun[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  live: boolean;
  axisChoices: readonly string[];
}

export function StructuredPanel({
  chartKey,
  panels,
  runs,
  view,
  onViewChange,
  live,
  axisChoices,
}: StructuredPanelProps) {
  const warning = panels.warnings.get(chartKey) ?? null;
  const kind = panels.kinds.get(chartKey);
  if (kind === "histogram") {
    return (
      <HistogramPanel
        chartKey={chartKey}
        runs={runs}
        view={view}
        onViewChange={onViewChange}
        live={live}
        axisChoices={axisChoices}
        warning={warning}
      />
    );
  }
  if (kind === "table") return <TablePanel tableKey={chartKey} runs={runs} warning={warning} />;
  const charts = panels.charts.get(chartKey) ?? [];
  const presetId = charts[0]?.chart.presetId;
  const overlay = presetId !== undefined && panels.presets.get(presetId)?.overlay === true;
  return <CustomChartPanel chartKey={chartKey} charts={charts} overlay={overlay} warning={warning} />;
}

/** A line chart's card with its key's kind warning above it. */
export function KindWarning({ text }: { text: string }) {
  return (
    <p className="kind-warning" data-testid="kind-warning">
      {text}
    </p>
  );
}
