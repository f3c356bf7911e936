/**
 * The "System" section (workspace and run page): a chart per system metric (CPU, memory, disk,
 * network, GPUs, event-loop lag; W&B's names, `system/cpu`, `system/gpu.0.gpu`…), one line per
 * run, against relative time (since each run started) or wall time. Per-core CPU charts are a
 * section of their own, closed at first. Uses the workspace's line chart.
 */
import { useMemo, useState } from "react";
import { systemChartName } from "@stepwise/protocol";
import { LineChart } from "../charts/LineChart.js";
import { ChartSection } from "../charts/ChartSection.js";
import type { ChartRun } from "../charts/chart-run.js";
import { systemKeys, systemLine, type SystemAxis } from "../../lib/system-lines.js";
import { useSystemMetrics } from "./useSystemMetrics.js";
import "../../styles/system.css";

const CHART_HEIGHT = 180;

export function SystemSection({ runs }: { runs: readonly ChartRun[] }) {
  const { byRun, error } = useSystemMetrics(runs);
  const [axis, setAxis] = useState<SystemAxis>("_runtime");
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set(["System"]));
  const [zooms, setZooms] = useState<ReadonlyMap<string, readonly [number, number]>>(new Map());
  const keys = useMemo(() => systemKeys([...byRun.values()]), [byRun]);
  const colors = useMemo(() => new Map(runs.map(({ run, color }) => [run.id, color])), [runs]);
  const names = useMemo(() => new Map(runs.map(({ run }) => [run.id, run.name])), [runs]);
  const toggle = (name: string): void =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  const panel = (key: string) => {
    const lines = runs.flatMap(({ run }) => {
      const response = byRun.get(run.id);
      return response === undefined ? [] : [systemLine(run.id, response, key, axis)];
    });
    const title = systemChartName(key);
    return (
      <div className="chart-panel" data-testid="system-chart" data-key={key} key={key}>
        <div className="chart-header">
          <span className="chart-title" title={key}>
            {title}
          </span>
        </div>
        <LineChart
          chartKey={`system:${key}`}
          lines={lines}
          colors={colors}
          names={names}
          xAxis={axis}
          logScale={false}
          zoom={zooms.get(key) ?? null}
          onZoom={(range) =>
            setZooms((old) => {
              const next = new Map(old);
              if (range === null) next.delete(key);
              else next.set(key, range);
              return next;
            })
          }
          height={CHART_HEIGHT}
        />
      </div>
    );
  };

  const empty = keys.main.length === 0;
  return (
    <section className="system-section" data-testid="system-section" id="system">
      <div className="system-head">
        <h2>System</h2>
        <label className="system-axis">
          x-axis{" "}
          <select
            aria-label="System x-axis"
            value={axis}
            onChange={(event) => setAxis(event.target.value as SystemAxis)}
          >
            <option value="_runtime">Relative time</option>
            <option value="_timestamp">Wall time</option>
          </select>
        </label>
      </div>
      {error !== null && (
        <div className="inline-error" role="status">
          System metrics could not be loaded: {error instanceof Error ? error.message : "unknown error"}
        </div>
      )}
      {empty ? (
        <p className="system-empty" data-testid="system-empty">
          No system metrics yet. A run samples CPU, memory, disk, network and GPUs every 15 s
          (settings.systemMetricsIntervalMs) unless init() was given settings.systemMetrics: false.
        </p>
      ) : (
        <>
          <ChartSection
            name="System"
            keys={keys.main}
            open={open.has("System")}
            onToggle={toggle}
            lazy={keys.main.length > 24}
            renderPanel={panel}
          />
          {keys.cores.length > 0 && (
            <ChartSection
              name="CPU cores"
              keys={keys.cores}
              open={open.has("CPU cores")}
              onToggle={toggle}
              lazy
              renderPanel={panel}
            />
          )}
        </>
      )}
    </section>
  );
}
