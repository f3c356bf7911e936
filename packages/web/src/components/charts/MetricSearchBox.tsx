/**
 * The metric search above the charts (param `metrics`): text or `/regex/`, how many charts match,
 * why a pattern does not compile, and when the server holds more keys than the page listed, a
 * note with a button for the next page.
 */
import { useEffect, useRef, useState } from "react";
import type { MetricSearch } from "../../lib/metric-search.js";

/** Typing pauses this long before the URL (and with it the charts) follows. */
const TYPING_PAUSE_MS = 120;

export interface MetricSearchBoxProps {
  value: string;
  search: MetricSearch;
  onChange: (text: string) => void;
  shown: number;
  listed: number;
  /** The server has more keys (for this search) than listed. */
  more: boolean;
  /** The listed keys answer the server's search (else the search filters the listed keys). */
  searched: boolean;
  loadMore: (() => void) | null;
}

export function MetricSearchBox(props: MetricSearchBoxProps) {
  const { value, search, onChange, shown, listed, more, searched, loadMore } = props;
  // The typed text, ahead of the URL by one pause; the URL's value wins when it changed elsewhere.
  const [text, setText] = useState(value);
  const sent = useRef(value);
  useEffect(() => {
    if (value !== sent.current) setText(value);
    sent.current = value;
  }, [value]);
  useEffect(() => {
    if (text === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = text;
      onChange(text);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, onChange]);
  const count =
    search.kind === "all" || searched
      ? `${shown}${more ? "+" : ""} charts`
      : `${shown} of ${listed}${more ? "+" : ""} charts`;
  return (
    <div className="metric-search">
      <input
        type="search"
        className="metric-search-input"
        data-testid="metric-search"
        placeholder="Search metrics (text or /regex/)"
        aria-label="Search metrics"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <span className="metric-search-count muted" data-testid="metric-search-count">
        {count}
      </span>
      {search.kind === "invalid" && (
        <span className="metric-search-error" role="alert">
          Not a regular expression: {search.message}
        </span>
      )}
      {more && (
        <span className="metric-search-more muted" data-testid="metric-search-more">
          {search.kind === "regex"
            ? "The pattern filters the keys listed so far; plain text searches every key."
            : "More metrics than listed: search to find others."}
          {loadMore !== null && (
            <button type="button" className="chart-button" onClick={loadMore}>
              List more
            </button>
          )}
        </span>
      )}
    </div>
  );
}
