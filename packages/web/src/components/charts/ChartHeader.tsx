/**
 * The header every chart card shares: the key as its title, "Reset zoom" while zoomed, and the
 * card's own x-axis choice (kept in the URL's `panelX`; "" goes back to the workspace's axis).
 * Card-specific buttons come as children, after the axis choice.
 */
import type { ReactNode } from "react";
import type { WorkspaceView } from "../../lib/url-state.js";
import { xAxisLabel } from "../../lib/chart-axes.js";
import { AxisSelect } from "./AxisSelect.js";

export interface ChartHeaderProps {
  chartKey: string;
  zoomed: boolean;
  onResetZoom: () => void;
  /** The axis the card uses when it has no choice of its own. */
  autoXAxis: string;
  axisChoices: readonly string[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  children?: ReactNode;
}

export function ChartHeader(props: ChartHeaderProps) {
  const { chartKey, view, onViewChange } = props;
  const setPanelX = (axis: string): void => {
    const panelX = { ...view.panelX };
    if (axis === "") delete panelX[chartKey];
    else panelX[chartKey] = axis;
    onViewChange({ panelX });
  };
  return (
    <div className="chart-header">
      <span className="chart-title" title={chartKey}>
        {chartKey}
      </span>
      {props.zoomed && (
        <button
          type="button"
          className="chart-button"
          onClick={props.onResetZoom}
          title="Double-click the chart too"
        >
          Reset zoom
        </button>
      )}
      <AxisSelect
        className="chart-x-select"
        value={view.panelX[chartKey] ?? ""}
        defaultLabel={`${xAxisLabel(props.autoXAxis)} (auto)`}
        choices={props.axisChoices}
        onChange={setPanelX}
        title="This chart's x-axis"
      />
      {props.children}
    </div>
  );
}
