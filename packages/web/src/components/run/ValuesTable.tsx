/**
 * Config or summary as a key/value table: nested keys flattened to dotted rows (`opt.lr`,
 * aggregated summaries as `loss.min`), compact values with the exact one on hover, and a filter
 * box over keys and values. Deep nesting is cut at a few levels, each cut row with an expand
 * control, so a config nested 100 levels deep (or thousands, stored before the limit) never
 * blanks the page. Rows are virtualised: a run with 40,000 config keys renders the few dozen in
 * the table's scroll box (each row measured, as long keys wrap), and the filter runs on a
 * deferred copy of the typed text, so typing stays responsive while 40,000 rows are matched.
 */
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { KeyLabel } from "./KeyLabel.js";
import { HistogramBars } from "../histogram/HistogramBars.js";
import { histogramOf } from "../../lib/histogram-value.js";
import {
  filterRows,
  flattenValues,
  formatCell,
  MAX_FLATTEN_DEPTH,
  type FlatRow,
} from "../../lib/flatten-values.js";

const NO_VALUES: Record<string, unknown> = {};

/** A one-line row: 20 px of text, 4 px of padding, the 1 px border. */
const ROW_HEIGHT = 25;

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
  // Flattened in a background render after the first paint: React then does the config's and
  // the summary's 40,000 rows in separate tasks rather than in one 250 ms task.
  const deferredValues = useDeferredValue(values, NO_VALUES);
  const pending = deferredValues !== values;
  const rows = useMemo(
    () => flattenValues(deferredValues, MAX_FLATTEN_DEPTH, expanded),
    [deferredValues, expanded],
  );
  const expand = (key: string): void => setExpanded((open) => new Set([...open, key]));
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => filterRows(rows, deferredQuery), [rows, deferredQuery]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
    getItemKey: (index) => shown[index]?.key ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
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
      <div className="values-scroll" ref={scroller}>
        <table className="values-table" data-testid={testId} aria-rowcount={shown.length}>
          <tbody>
            {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
            {items.map((item) => {
              const row = shown[item.index];
              return row === undefined ? null : (
                <ValueRow
                  key={item.key}
                  row={row}
                  index={item.index}
                  measure={virtualizer.measureElement}
                  onExpand={expand}
                />
              );
            })}
            {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted values-empty">{pending ? "Loading…" : empty}</p>}
        {rows.length > 0 && shown.length === 0 && (
          <p className="muted values-empty">No key matches “{query}”.</p>
        )}
      </div>
    </section>
  );
}

interface ValueRowProps {
  row: FlatRow;
  index: number;
  measure: (element: Element | null) => void;
  onExpand: (key: string) => void;
}

function ValueRow({ row, index, measure, onExpand }: ValueRowProps) {
  const cell = formatCell(row.value);
  const histogram = histogramOf(row.value);
  return (
    <tr className="kv-row" data-testid="kv-row" data-key={row.key} data-index={index} ref={measure}>
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
        {histogram === null ? cell.text : <HistogramBars {...histogram} width={160} height={36} />}
      </td>
    </tr>
  );
}
