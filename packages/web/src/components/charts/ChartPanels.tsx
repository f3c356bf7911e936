/**
 * The workspace's charts: one line chart per chartable metric of the given runs (a numeric key
 * they logged to history; the server says which), grouped into
 * sections by the text before the key's last `/`, with the chart toolbar (x-axis, smoothing).
 * Each chart queries its own series, lazily, and polls (every 1.5 s) while a run is running.
 */
import { useMemo } from "react";
import type { WorkspaceView } from "../../lib/url-state.js";
import { chartKeys } from "../../lib/metric-keys.js";
import { groupSections } from "../../lib/panel-sections.js";
import { parseSmoothing } from "../../lib/smoothing.js";
import { EmptyState } from "../status/EmptyState.js";
import type { ChartRun } from "./chart-run.js";
import { ChartPanel } from "./ChartPanel.js";
import { ChartSection } from "./ChartSection.js";
import { ChartToolbar } from "./ChartToolbar.js";
import { useSeriesKeys } from "./useSeriesKeys.js";
import "../../styles/charts.css";

export type { ChartRun } from "./chart-run.js";

export interface ChartPanelsProps {
  runs: ChartRun[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
}

/**
 * Runs drawn per chart at most: past this, lines are unreadable and a query costs more than it
 * shows (the series API takes up to 1,000 runs per query).
 */
export const MAX_CHART_RUNS = 200;

const LOG_SNIPPET = `run.log({ "train/loss": loss, "val/acc": acc });`;

export function ChartPanels({ runs, view, onViewChange }: ChartPanelsProps) {
  // Keyed by what the charts show of a run, so that a parent re-render with equal runs (a table
  // refresh) neither rebuilds the lines nor redraws.
  const shown = runs.slice(0, MAX_CHART_RUNS);
  const shownKey = shown.map(({ run, color }) => `${run.id}\u0000${color}\u0000${run.name}`).join("\u0001");
  const charted = useMemo(() => shown, [shownKey]);
  const live = shown.some(({ run }) => run.state === "running");
  const refs = useMemo(
    () => charted.map(({ run }) => ({ entity: run.entity, project: run.project, runId: run.id })),
    [charted],
  );
  const logged = useSeriesKeys(refs, live);
  // Until the server says which keys were logged, the summary's keys are charted, so the series
  // queries start at once (waiting for the keys first cost a round trip before every chart); a
  // key only the summary holds then drops out. Kept by content, so that the keys arriving (or a
  // table refresh) with the same keys redraws nothing.
  const computed = useMemo(
    () =>
      chartKeys(
        runs.map((r) => r.run),
        logged ?? undefined,
      ),
    [runs, logged],
  );
  const signature = computed.map((k) => `${k.key}\u0000${k.defaultX}`).join("\u0001");
  const keys = useMemo(() => computed, [signature]);
  const defaults = useMemo(() => new Map(keys.map((k) => [k.key, k.defaultX])), [keys]);
  const sections = useMemo(() => groupSections(keys.map((k) => k.key)), [keys]);
  const axisChoices = useMemo(() => sections.flatMap((s) => s.keys), [sections]);
  const smoothing = useMemo(() => parseSmoothing(view.smoothing), [view.smoothing]);

  if (runs.length === 0) {
    return (
      <EmptyState title="No runs to chart">
        Show a run in the table (or log one) to see its charts here.
      </EmptyState>
    );
  }
  return (
    <div className="chart-panels" data-keys={logged === null ? "pending" : "logged"}>
      <ChartToolbar
        xAxis={view.xAxis}
        smoothing={view.smoothing}
        axisChoices={axisChoices}
        onChange={(patch) => onViewChange(patch)}
      />
      {runs.length > charted.length && (
        <p className="chart-note">
          Charts show the first {charted.length} of {runs.length} runs; hide or filter runs to pick others.
        </p>
      )}
      {sections.length === 0 && (
        <EmptyState title="No metrics yet" snippet={LOG_SNIPPET}>
          These runs have no numeric metrics. Log some and charts appear here:
        </EmptyState>
      )}
      {sections.map((section) => (
        <ChartSection key={section.name} name={section.name} count={section.keys.length}>
          {section.keys.map((key) => (
            <ChartPanel
              key={key}
              chartKey={key}
              defaultX={defaults.get(key) ?? "_step"}
              runs={charted}
              view={view}
              onViewChange={onViewChange}
              smoothing={smoothing}
              live={live}
              axisChoices={axisChoices}
            />
          ))}
        </ChartSection>
      ))}
    </div>
  );
}
