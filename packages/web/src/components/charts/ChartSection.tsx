/** A collapsible section of charts: its name, how many charts, and the grid of chart cards. */
import { useState, type ReactNode } from "react";

export interface ChartSectionProps {
  name: string;
  count: number;
  children: ReactNode;
}

export function ChartSection({ name, count, children }: ChartSectionProps) {
  const [open, setOpen] = useState(true);
  return (
    <section className="panel-section" data-testid="panel-section" data-section={name}>
      <button
        type="button"
        className="panel-section-header"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span className={open ? "panel-caret open" : "panel-caret"} aria-hidden="true" />
        {/* The count is CSS content, so the header's text is exactly the section name. */}
        <span className="panel-section-name" data-count={count}>
          {name}
        </span>
      </button>
      {open && <div className="panel-grid">{children}</div>}
    </section>
  );
}
