/**
 * The workspace's chart settings: the x-axis of every chart (unless a chart overrides it) and
 * the smoothing: none, EMA with its weight, or a running average with its window.
 */
import { useEffect, useState } from "react";
import {
  DEFAULT_AVG_WINDOW,
  DEFAULT_EMA_WEIGHT,
  formatSmoothing,
  MAX_EMA_WEIGHT,
  parseSmoothing,
  type Smoothing,
} from "../../lib/smoothing.js";
import { AxisSelect } from "./AxisSelect.js";

export interface ChartToolbarProps {
  xAxis: string;
  smoothing: string;
  axisChoices: readonly string[];
  onChange: (patch: { xAxis?: string; smoothing?: string }) => void;
}

export function ChartToolbar({ xAxis, smoothing, axisChoices, onChange }: ChartToolbarProps) {
  const parsed = parseSmoothing(smoothing);
  const amount = parsed.kind === "ema" ? parsed.weight : parsed.kind === "avg" ? parsed.window : null;
  // The typed text, so that "0." or an empty field can be typed through without snapping back.
  const [text, setText] = useState(amount === null ? "" : String(amount));
  useEffect(
    // Keeps "0." while it means the current amount; takes the URL's value when it changed elsewhere.
    () =>
      setText((typed) =>
        amount === null ? "" : typed.trim() !== "" && Number(typed) === amount ? typed : String(amount),
      ),
    [amount],
  );

  const setSmoothing = (next: Smoothing): void => onChange({ smoothing: formatSmoothing(next) });
  const changeKind = (kind: string): void => {
    if (kind === "ema") setSmoothing({ kind, weight: DEFAULT_EMA_WEIGHT });
    else if (kind === "avg") setSmoothing({ kind, window: DEFAULT_AVG_WINDOW });
    else setSmoothing({ kind: "none" });
  };
  const changeAmount = (value: string): void => {
    setText(value);
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) return;
    if (parsed.kind === "ema") setSmoothing({ kind: "ema", weight: n });
    if (parsed.kind === "avg") setSmoothing({ kind: "avg", window: n });
  };

  return (
    <div className="chart-toolbar">
      <label className="chart-toolbar-field">
        <span>X-axis</span>
        <AxisSelect
          className="chart-toolbar-select"
          testId="x-axis-select"
          value={xAxis}
          defaultLabel="Metric default"
          choices={axisChoices}
          onChange={(axis) => onChange({ xAxis: axis })}
          title="X-axis of every chart (a chart's own choice wins)"
        />
      </label>
      <label className="chart-toolbar-field">
        <span>Smoothing</span>
        <select
          className="chart-toolbar-select"
          data-testid="smoothing-select"
          value={parsed.kind}
          onChange={(event) => changeKind(event.target.value)}
        >
          <option value="none">None</option>
          <option value="ema">Exponential moving average</option>
          <option value="avg">Running average</option>
        </select>
      </label>
      <input
        className="chart-toolbar-amount"
        data-testid="smoothing-weight"
        type="number"
        aria-label={parsed.kind === "avg" ? "Window (points)" : "EMA weight"}
        title={parsed.kind === "avg" ? "Window (points)" : `EMA weight, 0 to ${MAX_EMA_WEIGHT}`}
        disabled={amount === null}
        min={parsed.kind === "avg" ? 1 : 0}
        max={parsed.kind === "avg" ? undefined : MAX_EMA_WEIGHT}
        step={parsed.kind === "avg" ? 1 : 0.01}
        value={text}
        onChange={(event) => changeAmount(event.target.value)}
      />
    </div>
  );
}
