/**
 * Config or summary as a key/value table: nested keys flattened to dotted rows (`opt.lr`,
 * aggregated summaries as `loss.min`), compact values with the exact one on hover, and a filter
 * box over keys and values. Deep nesting is cut at a few levels, each cut row with an expand
 * control, so a config nested 100 levels deep (or thousands, stored before the limit) never
 * blanks the page.
 */
import { useMemo, useState } from "react";
import { KeyLabel } from "./KeyLabel.js";
import {
  filterRows,
  flattenValues,
  formatCell,
  MAX_FLATTEN_DEPTH,
  type FlatRow,
} from "../../lib/flatten-values.js";

export interface ValuesTableProps {
  title: string;
  /** `config-table` or `summary-table`. */
  testId: string;
  values: Record<string, unknown>;
  empty: string;
}

export function ValuesTable({ title, testId, values, empty }: ValuesTableProps) {
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => flattenValues(values, MAX_FLATTEN_DEPTH, expanded), [values, expanded]);
  const expand = (key: string): void => setExpanded((open) => new Set([...open, key]));
  const shown = useMemo(() => filterRows(rows, query), [rows, query]);
  return (
    <section className="values-card" id={title.toLowerCase()}>
      <div className="card-head">
        <h2>{title}</h2>
        <span className="muted count">
          {query.trim() === "" ? rows.length : `${shown.length} of ${rows.length}`} keys
        </span>
        <input
          type="search"
          className="values-filter"
          data-testid={`${testId}-filter`}
          placeholder="Filter keys and values…"
          aria-label={`Filter ${title.toLowerCase()}`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="values-scroll">
        <table className="values-table" data-testid={testId}>
          <tbody>
            {shown.map((row) => (
              <ValueRow key={row.key} row={row} onExpand={expand} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted values-empty">{empty}</p>}
        {rows.length > 0 && shown.length === 0 && (
          <p className="muted values-empty">No key matches “{query}”.</p>
        )}
      </div>
    </section>
  );
}

function ValueRow({ row, onExpand }: { row: FlatRow; onExpand: (key: string) => void }) {
  const cell = formatCell(row.value);
  return (
    <tr className="kv-row" data-testid="kv-row" data-key={row.key}>
      <th scope="row" title={row.key}>
        <KeyLabel dottedKey={row.key} segments={row.segments} />
      </th>
      <td className={`value value-${cell.kind}`} title={cell.title}>
        {row.expandable === true && (
          <button
            type="button"
            className="expand-value"
            data-testid="kv-expand"
            aria-label={`Expand ${row.key}`}
            onClick={() => onExpand(row.key)}
          >
            ▸
          </button>
        )}
        {cell.text}
      </td>
    </tr>
  );
}
