/**
 * A Vega-Lite spec drawn with vega-embed (loaded on first use, so pages without custom charts
 * never fetch Vega's ~1 MB). The spec reads its rows from the named data source `table`; the
 * rows are handed over as the top-level `datasets.table`, so specs written for W&B's
 * `{ "name": "wandb" }`-style named data work unchanged once named `table`. Drawn as SVG; each
 * chart's view is published on `window.__stepwiseVega[id]` so tests read the data it drew.
 * A spec that reaches outside the page (data URL, link or image elsewhere) is not drawn and says
 * why; what passes is drawn through a loader that fetches nothing (see inline-only-loader).
 */
import { findUnsafeSpecPart } from "@stepwise/protocol";
import { useEffect, useRef, useState } from "react";
import { inlineOnlyLoader } from "../../../lib/inline-only-loader.js";

export interface VegaChartProps {
  id: string;
  spec: Record<string, unknown>;
  rows: readonly Record<string, unknown>[];
  /** Width the chart fills ("container" needs a sized parent). */
  height?: number;
}

interface PublishedView {
  data: (name: string) => unknown[];
  /** The rows handed to the spec. */
  rows: readonly Record<string, unknown>[];
  /** Every data mark (not groups, axes or legends) with the data of its items, from the scenegraph. */
  marks: () => Array<{ type: string; name: string | null; data: unknown[] }>;
}

interface SceneNode {
  marktype?: string;
  /** `mark` for the spec's own marks; `axis-…`, `legend-…`, `frame` for the rest. */
  role?: string;
  name?: string;
  items?: SceneNode[];
  datum?: unknown;
}

function collectMarks(
  node: SceneNode,
  out: Array<{ type: string; name: string | null; data: unknown[] }>,
): void {
  const items = node.items ?? [];
  if (node.marktype !== undefined && node.marktype !== "group") {
    if (node.role === "mark")
      out.push({ type: node.marktype, name: node.name ?? null, data: items.map((item) => item.datum) });
    return;
  }
  for (const item of items) collectMarks(item, out);
}

declare global {
  interface Window {
    __stepwiseVega?: Record<string, PublishedView>;
  }
}

export function VegaChart({ id, spec, rows, height = 220 }: VegaChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    let finalize: (() => void) | null = null;
    let cancelled = false;
    setError(null);
    const full = {
      width: "container",
      height,
      autosize: { type: "fit", contains: "padding" },
      ...spec,
      datasets: { ...(spec.datasets as Record<string, unknown> | undefined), table: rows },
    };
    const unsafe = findUnsafeSpecPart(spec);
    if (unsafe !== null) {
      setError(`refused: ${unsafe.path} ${unsafe.reason}`);
      return;
    }
    const loader = inlineOnlyLoader(window.location.origin, (message) => {
      if (!cancelled) setError(`refused: ${message}`);
    });
    import("vega-embed")
      .then(async ({ default: embed }) => {
        if (cancelled) return;
        const result = await embed(element, full as never, {
          actions: false,
          renderer: "svg",
          loader: loader as never,
        });
        if (cancelled) {
          result.finalize();
          return;
        }
        finalize = () => result.finalize();
        (window.__stepwiseVega ??= {})[id] = {
          data: (name) => result.view.data(name) as unknown[],
          rows,
          marks: () => {
            const out: Array<{ type: string; name: string | null; data: unknown[] }> = [];
            collectMarks((result.view.scenegraph() as unknown as { root: SceneNode }).root, out);
            return out;
          },
        };
        element.dataset.rendered = "true";
      })
      .catch((cause: unknown) => {
        if (!cancelled) setError(cause instanceof Error ? cause.message : String(cause));
      });
    return () => {
      cancelled = true;
      finalize?.();
      delete element.dataset.rendered;
      if (window.__stepwiseVega !== undefined) delete window.__stepwiseVega[id];
    };
  }, [id, spec, rows, height]);
  return (
    <div className="vega-chart" data-testid="vega-chart" data-chart-id={id}>
      <div ref={host} className="vega-chart-host" />
      {error !== null && (
        <p className="kind-warning" data-testid="vega-error">
          {error.startsWith("refused: ")
            ? `The chart is not drawn: ${error.slice(9)}`
            : `The spec does not draw: ${error}`}
        </p>
      )}
    </div>
  );
}
