/** An x-axis `<select>`: a default entry, the built-in axes, then every chartable metric. */
import { BUILTIN_X_AXES, xAxisLabel } from "../../lib/chart-axes.js";

export interface AxisSelectProps {
  value: string;
  defaultLabel: string;
  choices: readonly string[];
  onChange: (axis: string) => void;
  className: string;
  title: string;
  testId?: string;
}

export function AxisSelect({
  value,
  defaultLabel,
  choices,
  onChange,
  className,
  title,
  testId,
}: AxisSelectProps) {
  const known =
    value === "" || (BUILTIN_X_AXES as readonly string[]).includes(value) || choices.includes(value);
  return (
    <select
      className={className}
      value={value}
      title={title}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{defaultLabel}</option>
      {BUILTIN_X_AXES.map((axis) => (
        <option key={axis} value={axis}>
          {xAxisLabel(axis)}
        </option>
      ))}
      {/* A URL may name an axis that no run logs (yet): keep it selectable rather than lose it. */}
      {!known && <option value={value}>{value}</option>}
      {choices.length > 0 && (
        <optgroup label="Metrics">
          {choices.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}
