/**
 * A collapsible section of charts: its name, how many charts, and the grid of chart cards. A
 * closed section renders no charts at all. In a large workspace (`lazy`) each card is an empty
 * slot of a chart's size until it comes near the viewport, and only then mounts its chart (and
 * with it uPlot and the series query), so 1,000 charts cost the page what is on screen.
 */
import { useRef, type ReactNode } from "react";
import { useInView } from "./useInView.js";

export interface ChartSectionProps {
  name: string;
  keys: readonly string[];
  open: boolean;
  onToggle: (name: string) => void;
  lazy: boolean;
  renderPanel: (key: string) => ReactNode;
}

export function ChartSection({ name, keys, open, onToggle, lazy, renderPanel }: ChartSectionProps) {
  return (
    <section className="panel-section" data-testid="panel-section" data-section={name} data-open={open}>
      <button
        type="button"
        className="panel-section-header"
        aria-expanded={open}
        onClick={() => onToggle(name)}
      >
        <span className={open ? "panel-caret open" : "panel-caret"} aria-hidden="true" />
        {/* The count is CSS content, so the header's text is exactly the section name. */}
        <span className="panel-section-name" data-count={keys.length}>
          {name}
        </span>
      </button>
      {open && (
        <div className="panel-grid">
          {keys.map((key) =>
            lazy ? <PanelSlot key={key} chartKey={key} renderPanel={renderPanel} /> : renderPanel(key),
          )}
        </div>
      )}
    </section>
  );
}

function PanelSlot({ chartKey, renderPanel }: { chartKey: string; renderPanel: (key: string) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const { seen } = useInView(ref);
  return (
    <div className="chart-slot" data-testid="chart-slot" data-key={chartKey} ref={ref}>
      {seen ? renderPanel(chartKey) : <div className="chart-slot-empty" title={chartKey} />}
    </div>
  );
}
