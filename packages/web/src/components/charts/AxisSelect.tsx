/**
 * An x-axis `<select>`: a default entry, the built-in axes, then every chartable metric. Past
 * EAGER_CHOICES metrics, their options are rendered once the pointer or the focus reaches the
 * select: 1,000 charts × 1,000 options each was a million DOM nodes.
 */
import { useState } from "react";
import { BUILTIN_X_AXES, xAxisLabel } from "../../lib/chart-axes.js";

export const EAGER_CHOICES = 50;

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
  const [wanted, setWanted] = useState(false);
  const want = (): void => setWanted(true);
  const listed = wanted || choices.length <= EAGER_CHOICES ? choices : [];
  const known =
    value === "" || (BUILTIN_X_AXES as readonly string[]).includes(value) || listed.includes(value);
  return (
    <select
      className={className}
      value={value}
      title={title}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value)}
      onPointerEnter={want}
      onFocus={want}
    >
      <option value="">{defaultLabel}</option>
      {BUILTIN_X_AXES.map((axis) => (
        <option key={axis} value={axis}>
          {xAxisLabel(axis)}
        </option>
      ))}
      {/* A URL may name an axis that no run logs (yet): keep it selectable rather than lose it. */}
      {!known && <option value={value}>{value}</option>}
      {listed.length > 0 && (
        <optgroup label="Metrics">
          {listed.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}
