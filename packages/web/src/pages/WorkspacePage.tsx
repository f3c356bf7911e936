/**
 * A project's workspace: the runs table on the left (filter, sort, group, show/hide), the charts
 * of the visible runs on the right. Everything about the view lives in the URL.
 */
import { useMemo } from "react";
import { useParams } from "wouter";
import { alertPaths } from "@stepwise/protocol";
import { AlertsSection } from "../components/alerts/AlertsSection.js";
import { ChartPanels } from "../components/charts/ChartPanels.js";
import { SystemSection } from "../components/system/SystemSection.js";
import { EmptyState } from "../components/status/EmptyState.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { RunsPanel } from "../components/workspace/RunsPanel.js";
import { Splitter } from "../components/workspace/Splitter.js";
import { useRunsWidth } from "../components/workspace/useRunsWidth.js";
import { useChartRunValues } from "../components/workspace/useChartRunValues.js";
import { useWorkspaceRuns } from "../components/workspace/useWorkspaceRuns.js";
import { useWorkspaceView } from "../components/workspace/useWorkspaceView.js";
import { MAX_COMPARE } from "../components/workspace/RunsToolbar.js";
import { FirstRunHelp } from "../components/workspace/FirstRunHelp.js";
import { comparePath } from "../lib/app-paths.js";
import { firstRunSnippet } from "../lib/first-run-snippet.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { runColor } from "../lib/run-colors.js";
import { visibleRuns } from "../lib/run-visibility.js";
import "../styles/workspace.css";

/** Runs overlaid in the charts: past 50 lines no one reads a chart, and each costs a query. */
export const CHART_RUN_CAP = 50;

export function WorkspacePage() {
  const params = useParams<{ entity: string; project: string }>();
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const [view, update] = useWorkspaceView();
  const runs = useWorkspaceRuns(entity, project, view);
  const [width, setWidth] = useRunsWidth();

  const hiddenKey = view.hidden.join(",");
  const visible = useMemo(() => visibleRuns(runs.sorted, view.hidden, Infinity), [runs.sorted, hiddenKey]);
  const shown = useMemo(() => visible.slice(0, CHART_RUN_CAP), [visible]);
  const listed = useMemo(() => shown.map((run) => ({ run, color: runColor(run) })), [shown]);
  // The listing holds only the table's config/summary paths; the panels' typed values come after.
  const chartRuns = useChartRunValues(entity, project, listed);
  const compared = shown.slice(0, MAX_COMPARE);
  const compareHref =
    compared.length < 2
      ? null
      : comparePath(
          entity,
          project,
          compared.map((run) => run.id),
        );

  const filtered = view.filter !== "" || view.search !== "";
  if (runs.total === null && runs.error !== null)
    return <ErrorState error={runs.error} onRetry={runs.reload} />;
  if (runs.total === null) return <Loading what="runs" />;
  if (runs.total === 0 && !filtered && runs.sorted.length === 0) {
    return (
      <EmptyState title={`No runs yet in ${entity}/${project}`} snippet={firstRunSnippet(project, entity)}>
        <FirstRunHelp what="A run shows up here as soon as it starts logging." />
      </EmptyState>
    );
  }

  return (
    <div className="workspace">
      <div className="workspace-runs" style={width === null ? undefined : { width }}>
        <RunsPanel
          entity={entity}
          project={project}
          view={view}
          onViewChange={update}
          runs={runs.runs}
          sorted={runs.sorted}
          total={runs.total}
          complete={runs.complete}
          filterError={runs.filterError}
          selected={runs.selected}
          compareHref={compareHref}
          compareCount={compared.length}
        />
        {runs.error !== null && (
          <div className="runs-load-error" role="alert">
            Could not load every run: {runs.error instanceof Error ? runs.error.message : "unknown error"}{" "}
            <button type="button" onClick={runs.reload}>
              Retry
            </button>
          </div>
        )}
      </div>
      <Splitter onResize={setWidth} />
      <div className="workspace-charts">
        {visible.length > CHART_RUN_CAP && (
          <div className="workspace-cap-note" data-testid="chart-cap-note">
            Charts show the first {CHART_RUN_CAP} of {visible.length} visible runs, in table order; sort,
            filter or hide runs to chart others.
          </div>
        )}
        <AlertsSection path={alertPaths.project(entity, project)} showRun title="Alerts in this project" />
        <ChartPanels runs={chartRuns} view={view} onViewChange={update} />
        <SystemSection runs={chartRuns} />
      </div>
    </div>
  );
}
