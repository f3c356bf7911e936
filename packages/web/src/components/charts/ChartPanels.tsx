/**
 * The workspace's charts: one line chart per chartable metric of the given runs (a numeric key
 * they logged to history; the server lists them a page at a time), grouped into sections by the
 * text before the key's last `/`, with the chart toolbar (x-axis, smoothing) and the metric
 * search. Past 12 sections or 48 charts, sections start collapsed but the leading ones, and each
 * chart mounts only near the viewport (ChartSection); each chart queries its own series, lazily,
 * and polls (every 1.5 s) while a run is running and it is in view.
 */
import { useCallback, useMemo, useState } from "react";
import type { WorkspaceView } from "../../lib/url-state.js";
import { chartKeys, chartKeysOf, type ChartKey } from "../../lib/metric-keys.js";
import { filterMetrics, parseMetricSearch, serverSearchText } from "../../lib/metric-search.js";
import { groupSections, sectionOf } from "../../lib/panel-sections.js";
import { defaultOpenSections, isSectionOpen, OPEN_PANELS } from "../../lib/section-collapse.js";
import { parseSmoothing } from "../../lib/smoothing.js";
import { MediaPanel } from "../media/MediaPanel.js";
import { useMediaKeys } from "../media/useMediaKeys.js";
import { KindWarning, StructuredPanel } from "./StructuredPanel.js";
import { useStructuredPanels } from "./useStructuredPanels.js";
import { EmptyState } from "../status/EmptyState.js";
import type { ChartRun } from "./chart-run.js";
import { ChartPanel } from "./ChartPanel.js";
import { ChartSection } from "./ChartSection.js";
import { ChartToolbar } from "./ChartToolbar.js";
import { MetricSearchBox } from "./MetricSearchBox.js";
import { KEY_PAGE, useSeriesKeys } from "./useSeriesKeys.js";
import "../../styles/charts.css";

export type { ChartRun } from "./chart-run.js";

export interface ChartPanelsProps {
  runs: ChartRun[];
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  /** Media panels in the sections too (default); the run page shows them in its own Media section. */
  media?: boolean;
}

/**
 * Runs drawn per chart at most: past this, lines are unreadable and a query costs more than it
 * shows (the series API takes up to 1,000 runs per query).
 */
export const MAX_CHART_RUNS = 200;

const NO_RUNS: readonly ChartRun[] = [];

const LOG_SNIPPET = `run.log({ "train/loss": loss, "val/acc": acc });`;

export function ChartPanels({ runs, view, onViewChange, media: withMedia = true }: ChartPanelsProps) {
  // Keyed by what the charts show of a run, so that a parent re-render with equal runs (a table
  // refresh) neither rebuilds the lines nor redraws.
  const shown = runs.slice(0, MAX_CHART_RUNS);
  const shownKey = shown
    .map(({ run, color, values }) => `${run.id}\u0000${color}\u0000${run.name}\u0000${values ?? ""}`)
    .join("\u0001");
  const charted = useMemo(() => shown, [shownKey]);
  const live = shown.some(({ run }) => run.state === "running");
  const refs = useMemo(
    () => charted.map(({ run }) => ({ entity: run.entity, project: run.project, runId: run.id })),
    [charted],
  );
  const search = useMemo(() => parseMetricSearch(view.metricSearch), [view.metricSearch]);
  const logged = useSeriesKeys(refs, live, serverSearchText(search));
  const computed = useMemo(() => keysToChart(runs, logged.keys), [runs, logged.keys]);
  // Kept by content, so that the keys arriving (or a table refresh) with the same keys redraws nothing.
  const signature = computed.map((k) => `${k.key}\u0000${k.defaultX}`).join("\u0001");
  const keys = useMemo(() => computed, [signature]);
  const defaults = useMemo(() => new Map(keys.map((k) => [k.key, k.defaultX])), [keys]);
  const axisChoices = useMemo(() => keys.map((k) => k.key), [keys]);
  const matching = useMemo(() => filterMetrics(axisChoices, search, (k) => k), [axisChoices, search]);
  // Media keys (images, audio, …) get a media panel in the same sections as the charts.
  const media = useMediaKeys(withMedia ? charted : NO_RUNS, search);
  // Histograms, tables and custom charts (issue 11) too; a numeric key that is also one of them gets its panel.
  const structured = useStructuredPanels(charted, search);
  const sections = useMemo(
    () => groupSections([...new Set([...matching, ...media.matching, ...structured.matching])]),
    [matching, media.matching, structured.matching],
  );
  const sizes = sections.map((s) => `${s.name}\u0000${s.keys.length}`).join("\u0001");
  const openByDefault = useMemo(
    () => defaultOpenSections(sections.map((s) => ({ name: s.name, count: s.keys.length }))),
    [sizes],
  );
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(() => new Map());
  const toggle = useCallback(
    (name: string) =>
      setToggled((known) => new Map(known).set(name, !isSectionOpen(name, openByDefault, known))),
    [openByDefault],
  );
  const smoothing = useMemo(() => parseSmoothing(view.smoothing), [view.smoothing]);
  const setMetricSearch = useCallback((text: string) => onViewChange({ metricSearch: text }), [onViewChange]);

  if (runs.length === 0) {
    return (
      <EmptyState title="No runs to chart">
        Show a run in the table (or log one) to see its charts here.
      </EmptyState>
    );
  }
  const renderPanel = (key: string) => {
    const kind = media.kinds.get(key);
    if (kind !== undefined)
      return (
        <MediaPanel
          key={key}
          mediaKey={key}
          kind={kind}
          runs={charted}
          section={sectionOf(key)}
          axisChoices={axisChoices}
        />
      );
    if (structured.kinds.has(key))
      return (
        <StructuredPanel
          key={key}
          chartKey={key}
          panels={structured}
          runs={charted}
          view={view}
          onViewChange={onViewChange}
          live={live}
          axisChoices={axisChoices}
        />
      );
    const warning = structured.warnings.get(key);
    if (warning !== undefined)
      return (
        <div key={key} className="kind-warned">
          <KindWarning text={warning} />
          {renderChart(key)}
        </div>
      );
    return renderChart(key);
  };
  const renderChart = (key: string) => (
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
  );
  return (
    <div className="chart-panels" data-keys={logged.keys === null ? "pending" : "logged"}>
      <ChartToolbar
        xAxis={view.xAxis}
        smoothing={view.smoothing}
        axisChoices={axisChoices}
        onChange={(patch) => onViewChange(patch)}
      />
      <MetricSearchBox
        value={view.metricSearch}
        search={search}
        onChange={setMetricSearch}
        shown={matching.length}
        listed={axisChoices.length}
        more={logged.more}
        searched={logged.searched}
        loadMore={logged.loadMore}
      />
      {runs.length > charted.length && (
        <p className="chart-note">
          Charts show the first {charted.length} of {runs.length} runs; hide or filter runs to pick others.
        </p>
      )}
      {keys.length === 0 &&
        media.kinds.size === 0 &&
        structured.kinds.size === 0 &&
        logged.keys !== null &&
        search.kind === "all" && (
          <EmptyState title="No metrics yet" snippet={LOG_SNIPPET}>
            These runs have no numeric metrics. Log some and charts appear here:
          </EmptyState>
        )}
      {keys.length > 0 && matching.length === 0 && (
        <p className="chart-note" data-testid="metric-search-empty">
          No metric matches “{view.metricSearch}”.
        </p>
      )}
      {sections.map((section) => (
        <ChartSection
          key={section.name}
          name={section.name}
          keys={section.keys}
          open={isSectionOpen(section.name, openByDefault, toggled)}
          onToggle={toggle}
          lazy={matching.length > OPEN_PANELS}
          renderPanel={renderPanel}
        />
      ))}
    </div>
  );
}

/**
 * The keys to chart: the server's listed keys once they are in. Until then the summaries' keys,
 * so the series queries start at once (waiting for the keys first cost a round trip before every
 * chart; a key only the summary holds then drops out) — unless a summary is larger than a page
 * of keys, which the server's first page will narrow anyway.
 */
function keysToChart(runs: readonly ChartRun[], logged: readonly string[] | null | undefined): ChartKey[] {
  const list = runs.map((r) => r.run);
  if (Array.isArray(logged)) return chartKeysOf(list, logged);
  if (list.some((run) => Object.keys(run.summary).length > KEY_PAGE)) return [];
  return chartKeys(list);
}
