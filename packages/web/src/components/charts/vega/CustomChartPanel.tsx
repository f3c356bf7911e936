/**
 * A custom chart card (`plot.*` presets and `plotTable`): the preset's spec with its slots
 * filled by the server, drawn over the rows of the chart's table. A preset that overlays runs
 * draws every run's rows in one chart (rows carry `_run`/`_runName`); any other draws one chart
 * per run. A chart the server could not resolve (unknown preset, missing column) says why.
 */
import { useMemo } from "react";
import type { CustomChart } from "@stepwise/protocol";
import type { ChartRun } from "../chart-run.js";
import { useChartRows, type ChartRowsRun } from "./useChartRows.js";
import { VegaChart } from "./VegaChart.js";

/** Charts drawn one per run at most (a non-overlay preset). */
export const MAX_SEPARATE_CHARTS = 4;

export interface CustomChartPanelProps {
  chartKey: string;
  /** The runs that logged this chart, each with its chart. */
  charts: ReadonlyArray<{ run: ChartRun; chart: CustomChart }>;
  overlay: boolean;
  warning?: string | null;
}

export function CustomChartPanel({ chartKey, charts, overlay, warning }: CustomChartPanelProps) {
  const first = charts[0];
  const groups = overlay ? [charts] : charts.slice(0, MAX_SEPARATE_CHARTS).map((c) => [c]);
  return (
    <div className="chart-panel custom-chart-panel" data-testid="custom-chart" data-key={chartKey}>
      <div className="chart-header">
        <span className="chart-title" title={`${chartKey} · ${first?.chart.presetId ?? ""}`}>
          {chartKey}
        </span>
        <span className="muted chart-preset">{first?.chart.presetId}</span>
      </div>
      {warning != null && (
        <p className="kind-warning" data-testid="kind-warning">
          {warning}
        </p>
      )}
      {groups.map((group) => (
        <ChartGroup
          key={group.map((g) => g.run.run.id).join(",")}
          chartKey={chartKey}
          group={group}
          label={!overlay && charts.length > 1}
        />
      ))}
      {!overlay && charts.length > MAX_SEPARATE_CHARTS && (
        <p className="chart-note">
          Charts of the first {MAX_SEPARATE_CHARTS} of {charts.length} runs (this preset draws one run per
          chart).
        </p>
      )}
    </div>
  );
}

function ChartGroup({
  chartKey,
  group,
  label,
}: {
  chartKey: string;
  group: ReadonlyArray<{ run: ChartRun; chart: CustomChart }>;
  label: boolean;
}) {
  const lead = group[0];
  const runs = useMemo<ChartRowsRun[]>(
    () =>
      group
        .filter(({ chart }) => chart.spec !== null)
        .map(({ run, chart }) => ({
          ref: { entity: run.run.entity, project: run.run.project, runId: run.run.id },
          name: run.run.name,
          tableKey: chart.tableKey,
          version: JSON.stringify(run.run.summary[chart.tableKey] ?? null),
        })),
    [
      group
        .map(
          (g) =>
            `${g.run.run.id}\u0000${g.chart.tableKey}\u0000${JSON.stringify(g.run.run.summary[g.chart.tableKey] ?? null)}`,
        )
        .join("\u0001"),
    ],
  );
  const { rows, clipped, error } = useChartRows(runs);
  const leadSpec = lead?.chart.spec ?? null;
  const spec = useMemo(
    () => (leadSpec === null ? null : apartByRun(leadSpec, runs.length)),
    [leadSpec, runs.length],
  );
  if (lead === undefined) return null;
  const heading = label ? (
    <div className="heatmap-run" style={{ borderColor: lead.run.color }}>
      {lead.run.run.name}
    </div>
  ) : null;
  if (spec === null) {
    return (
      <>
        {heading}
        <p className="kind-warning" data-testid="chart-problem">
          {lead.chart.problem ?? "This chart's preset could not be resolved."}
        </p>
      </>
    );
  }
  const id = `${chartKey}|${group.map((g) => g.run.run.id).join(",")}`;
  return (
    <>
      {heading}
      {rows === null ? (
        <div className="chart-placeholder" style={{ height: 220 }}>
          {error !== null
            ? `Could not load the table: ${error instanceof Error ? error.message : "unknown error"}`
            : "Loading…"}
        </div>
      ) : (
        <VegaChart id={id} spec={spec} rows={rows} />
      )}
      {clipped > 0 && <p className="chart-note">{clipped.toLocaleString("en")} more rows not drawn.</p>}
    </>
  );
}

/**
 * Several runs in one chart: their rows must not join into one line per colour (a PR curve
 * colours by class, and two runs' "cat" curves would be drawn as one zigzag), so each run's rows
 * are kept apart with a `detail` channel on `_run` unless the spec already sets one, and a line
 * mark gets a dash per run (with its legend) so the runs can be told apart.
 */
function apartByRun(spec: Record<string, unknown>, runs: number): Record<string, unknown> {
  const encoding = spec["encoding"];
  if (runs < 2 || typeof encoding !== "object" || encoding === null || "detail" in encoding) return spec;
  const mark = spec["mark"];
  const type = typeof mark === "object" && mark !== null ? (mark as Record<string, unknown>)["type"] : mark;
  const dash =
    type === "line" && !("strokeDash" in encoding)
      ? { strokeDash: { field: "_runName", type: "nominal", title: "run" } }
      : {};
  return { ...spec, encoding: { ...encoding, detail: { field: "_run", type: "nominal" }, ...dash } };
}
