/**
 * Runs side by side: one column per run, rows grouped in sections (metadata, config, summary),
 * differing rows marked (`data-differs`) and their cells highlighted.
 */
import { Link } from "wouter";
import type { RunDto } from "@stepwise/protocol";
import { formatCell } from "../../lib/flatten-values.js";
import { runColor } from "../../lib/run-colors.js";
import type { CompareSection, DiffRow } from "../../lib/run-diff.js";
import { StateBadge } from "../StateBadge.js";
import { KeyLabel } from "../run/KeyLabel.js";

/** Column widths (px): a fixed layout keeps every run's column equal however long its values. */
const KEY_WIDTH = 260;
const RUN_WIDTH = 240;

export interface CompareTableProps {
  runs: RunDto[];
  sections: CompareSection[];
  runHref: (run: RunDto) => string;
  onRemove: (runId: string) => void;
}

export function CompareTable({ runs, sections, runHref, onRemove }: CompareTableProps) {
  return (
    <div className="compare-scroll">
      <table
        className="compare-table"
        data-testid="compare-table"
        style={{ width: KEY_WIDTH + runs.length * RUN_WIDTH }}
      >
        <colgroup>
          <col style={{ width: KEY_WIDTH }} />
          {runs.map((run) => (
            <col key={run.id} style={{ width: RUN_WIDTH }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th className="compare-corner">Key</th>
            {runs.map((run) => (
              <th key={run.id} className="compare-run" data-run-id={run.id}>
                <div className="compare-run-name">
                  <span className="run-dot" style={{ background: runColor(run) }} />
                  <Link href={runHref(run)} data-testid="compare-run-link" title={`Open run ${run.id}`}>
                    {run.name}
                  </Link>
                  {runs.length > 2 && (
                    <button
                      type="button"
                      className="compare-remove"
                      aria-label={`Remove ${run.name} from the comparison`}
                      title="Remove from the comparison"
                      onClick={() => onRemove(run.id)}
                    />
                  )}
                </div>
                <div className="compare-run-meta">
                  <StateBadge state={run.state} />
                  <span className="muted mono">{run.id}</span>
                </div>
              </th>
            ))}
          </tr>
        </thead>
        {sections.map((section) => (
          <tbody key={section.id} data-section={section.id}>
            <tr className="compare-section">
              <th colSpan={runs.length + 1}>
                {section.title}
                <span className="muted">
                  {" "}
                  · {section.differing} of {section.total} differ
                </span>
              </th>
            </tr>
            {section.rows.map((row) => (
              <CompareRow key={row.key} row={row} section={section.id} />
            ))}
            {section.rows.length === 0 && (
              <tr className="compare-none">
                <td colSpan={runs.length + 1} className="muted">
                  {section.total === 0 ? "No keys." : "No row to show: all values are the same."}
                </td>
              </tr>
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function CompareRow({ row, section }: { row: DiffRow; section: string }) {
  return (
    <tr
      className={row.differs ? "diff-row differs" : "diff-row"}
      data-testid="diff-row"
      data-key={row.key}
      data-section={section}
      data-differs={row.differs ? "true" : "false"}
    >
      <th scope="row" title={row.key}>
        <KeyLabel dottedKey={row.key} segments={row.segments} />
      </th>
      {row.values.map((value, i) => {
        const cell = formatCell(value);
        return (
          <td
            key={i}
            className={`value value-${cell.kind}${row.cellDiffers[i] === true ? " cell-differs" : ""}`}
            title={cell.title}
          >
            {cell.text}
          </td>
        );
      })}
    </tr>
  );
}
