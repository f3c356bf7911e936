/**
 * A table panel's controls: the filter expression box (Enter applies it; the server's message
 * shows under it when it refuses one), group by, the columns menu (show or hide each), the step
 * slider (only with versions at several steps) and the export links.
 */
import { useEffect, useMemo, useState } from "react";
import { parseTableFilter, type TableColumn } from "@stepwise/protocol";

export interface TableToolbarProps {
  where: string;
  onFilter: (where: string) => void;
  error: string | null;
  columns: readonly TableColumn[];
  groupBy: string;
  onGroupBy: (column: string) => void;
  hidden: readonly string[];
  onHidden: (hidden: string[]) => void;
  steps: readonly number[];
  stepIndex: number;
  onStepIndex: (index: number) => void;
  exportLinks: ReadonlyArray<{ format: string; url: string }> | null;
}

export function TableToolbar(props: TableToolbarProps) {
  const { columns, hidden, steps } = props;
  const [text, setText] = useState(props.where);
  useEffect(() => setText(props.where), [props.where]);
  // Checked as it is typed (the server's grammar); Enter applies only an expression that parses.
  const check = useMemo(() => parseTableFilter(text), [text]);
  const syntax = check.ok ? null : `${check.message} (column ${check.column})`;
  const toggle = (name: string): void =>
    props.onHidden(hidden.includes(name) ? hidden.filter((h) => h !== name) : [...hidden, name]);
  return (
    <div className="table-toolbar">
      <div className="table-toolbar-line">
        <input
          type="text"
          className="table-filter"
          data-testid="table-filter"
          placeholder={filterExample(columns)}
          aria-label="Filter rows"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && check.ok) props.onFilter(text);
          }}
        />
        <label className="chart-toolbar-field">
          Group by
          <select
            data-testid="table-group-by"
            value={props.groupBy}
            onChange={(e) => props.onGroupBy(e.target.value)}
          >
            <option value="">none</option>
            {columns
              .filter((c) => c.type !== "media" && c.type !== "json")
              .map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
        <details className="table-columns-menu">
          <summary data-testid="table-columns-menu">
            Columns {hidden.length > 0 ? `(${columns.length - hidden.length}/${columns.length})` : ""}
          </summary>
          <div className="table-columns-list">
            {columns.map((c) => (
              <label key={c.name}>
                <input
                  type="checkbox"
                  data-testid="table-column-toggle"
                  data-column={c.name}
                  checked={!hidden.includes(c.name)}
                  onChange={() => toggle(c.name)}
                />
                {c.name}
              </label>
            ))}
          </div>
        </details>
        {props.exportLinks?.map(({ format, url }) => (
          <a key={format} className="chart-button" data-testid={`table-export-${format}`} href={url} download>
            {format.toUpperCase()}
          </a>
        ))}
      </div>
      {(syntax ?? props.error) !== null && (
        <p className="table-filter-error" data-testid="table-filter-error" role="alert">
          {syntax ?? props.error}
        </p>
      )}
      {steps.length > 1 && (
        <label className="table-step">
          Step {steps[props.stepIndex]}
          <input
            type="range"
            data-testid="table-step"
            min={0}
            max={steps.length - 1}
            value={props.stepIndex}
            onChange={(e) => props.onStepIndex(Number(e.target.value))}
            aria-valuetext={`step ${steps[props.stepIndex]}`}
          />
          <span className="muted">
            {props.stepIndex + 1} of {steps.length} versions
          </span>
        </label>
      )}
    </div>
  );
}

/** An example filter over the table's own columns, as the box's placeholder. */
function filterExample(columns: readonly TableColumn[]): string {
  const name = (c: TableColumn): string => (/^[A-Za-z0-9_./]+$/.test(c.name) ? c.name : `\`${c.name}\``);
  const number = columns.find((c) => c.type === "number");
  const text = columns.find((c) => c.type === "string");
  const parts = [
    ...(number === undefined ? [] : [`${name(number)} > 0.5`]),
    ...(text === undefined ? [] : [`${name(text)} = "…"`]),
  ];
  return `Filter, e.g. ${parts.length === 0 ? "column is not null" : parts.join(" and ")}`;
}
