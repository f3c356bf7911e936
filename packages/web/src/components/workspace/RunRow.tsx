/**
 * One row of the runs table: the chart-visibility checkbox (ticked in the run's colour), then one
 * cell per column from the precomputed cell texts. Memoised: scrolling re-renders only the rows
 * that enter the view.
 */
import { memo, type CSSProperties } from "react";
import { Link } from "wouter";
import type { RunDto } from "@stepwise/protocol";
import type { Cell, RunColumn } from "../../lib/run-columns.js";
import { HistogramBars } from "../histogram/HistogramBars.js";
import { StateBadge } from "../StateBadge.js";

export interface RunRowProps {
  run: RunDto;
  cells: readonly Cell[];
  columns: readonly RunColumn[];
  color: string;
  hidden: boolean;
  runHref: string;
  /** The row's grid (shared by every row, so that memoised rows stay equal). */
  style: CSSProperties;
  /** Pixels from the top of the table body. */
  top: number;
  onToggle: (runId: string) => void;
}

export const RunRow = memo(function RunRow({
  run,
  cells,
  columns,
  color,
  hidden,
  runHref,
  style,
  top,
  onToggle,
}: RunRowProps) {
  return (
    <div
      className={hidden ? "runs-row run-row is-hidden" : "runs-row run-row"}
      role="row"
      data-testid="run-row"
      data-run-id={run.id}
      style={{ ...style, transform: `translateY(${top}px)` }}
    >
      <div className="runs-cell runs-cell-toggle" role="cell">
        <input
          type="checkbox"
          data-testid="run-visibility"
          checked={!hidden}
          onChange={() => onToggle(run.id)}
          style={{ accentColor: color }}
          title={hidden ? "Show in charts" : "Hide from charts"}
          aria-label={`Show ${run.name} in charts`}
        />
      </div>
      {columns.map((column, i) => {
        const cell = cells[i];
        const align = column.align === "right" ? " is-right" : "";
        if (column.id === "state") {
          return (
            <div key={column.id} className="runs-cell runs-cell-state" role="cell">
              <StateBadge state={run.state} />
            </div>
          );
        }
        if (column.id === "name") {
          return (
            <div
              key={column.id}
              className="runs-cell runs-cell-name"
              role="cell"
              data-testid="run-name"
              title={cell?.title}
            >
              <span className="run-dot" style={{ background: color }} />
              <Link href={runHref}>{run.name}</Link>
            </div>
          );
        }
        return (
          <div key={column.id} className={`runs-cell${align}`} role="cell" title={cell?.title || undefined}>
            {cell?.histogram === undefined ? (
              cell?.text
            ) : (
              <HistogramBars {...cell.histogram} width={Math.max(40, column.width - 16)} height={18} />
            )}
          </div>
        );
      })}
    </div>
  );
});
