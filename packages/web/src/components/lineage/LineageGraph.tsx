/**
 * The lineage graph of an artifact version (version page): the runs that produced and used it
 * and, 3 hops out, what those runs produced and used — a dataset → training run → model →
 * evaluation run chain reads left to right. Laid out by lib/lineage-layout.ts; a cluster node
 * (more than 20 of a kind in a column) expands on click; any other node opens its page.
 */
import { useMemo, useState } from "react";
import { useLocation } from "wouter";
import { getLineage } from "../../api/registry-client.js";
import { runPath } from "../../lib/app-paths.js";
import { artifactVersionPath } from "../../lib/artifact-paths.js";
import { layoutLineage, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from "../../lib/lineage-layout.js";
import { useLoaded } from "../artifacts/useLoaded.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import "../../styles/registry.css";

const DEPTH = 3;
const PAD = 8;

export interface LineageGraphProps {
  entity: string;
  project: string;
  name: string;
  /** The version's own name (`v3`). */
  version: string;
}

export function LineageGraph({ entity, project, name, version }: LineageGraphProps) {
  const key = `${entity}/${project}/${name}:${version}`;
  const graph = useLoaded(key, (signal) => getLineage({ entity, project, name }, version, DEPTH, signal));
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [, navigate] = useLocation();
  const layout = useMemo(
    () => (graph.data === null ? null : layoutLineage(graph.data, expanded)),
    [graph.data, expanded],
  );

  const open = (node: PlacedNode) => {
    if (node.kind === "cluster") {
      setExpanded(new Set([...expanded, node.id]));
      return;
    }
    const n = node.node;
    if (n === null) return;
    navigate(
      n.kind === "run"
        ? runPath(n.entity, n.project, n.runId)
        : artifactVersionPath(n.entity, n.project, n.name, n.version),
    );
  };

  return (
    <section className="files-card lineage-card" data-testid="lineage-graph">
      <div className="card-head">
        <h2>Lineage</h2>
        {graph.data?.truncated === true && (
          <span className="muted">{DEPTH} steps shown; there may be more</span>
        )}
      </div>
      {graph.error !== null ? (
        <ErrorState error={graph.error} onRetry={graph.reload} />
      ) : layout === null ? (
        <Loading what="the lineage" />
      ) : layout.nodes.length === 1 ? (
        <p className="muted" data-testid="lineage-empty">
          No run produced or used this version yet.
        </p>
      ) : (
        <div className="lineage-scroll">
          <svg
            width={layout.width + 2 * PAD}
            height={layout.height + 2 * PAD}
            role="img"
            aria-label={`Lineage of ${name}:${version}`}
          >
            <g transform={`translate(${PAD},${PAD})`}>
              {layout.edges.map((e) => (
                <path
                  key={`${e.from}>${e.to}`}
                  d={e.path}
                  className="lineage-edge"
                  data-testid="lineage-edge"
                  data-from={e.from}
                  data-to={e.to}
                />
              ))}
              {layout.nodes.map((node) => (
                <g
                  key={node.id}
                  transform={`translate(${node.x},${node.y})`}
                  className={`lineage-node lineage-${node.kind}${node.root ? " lineage-root" : ""}`}
                  data-testid="lineage-node"
                  data-kind={node.kind}
                  data-label={node.label}
                  data-id={node.id}
                  role="button"
                  tabIndex={0}
                  onClick={() => open(node)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter") open(node);
                  }}
                >
                  <title>
                    {node.kind === "cluster" ? node.members.map((m) => m.id).join("\n") : node.id}
                  </title>
                  <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={node.kind === "run" ? 22 : 4} />
                  <text x={10} y={18} className="lineage-label">
                    {node.label.length > 24 ? `${node.label.slice(0, 23)}…` : node.label}
                  </text>
                  <text x={10} y={34} className="lineage-sublabel">
                    {node.sublabel}
                  </text>
                </g>
              ))}
            </g>
          </svg>
        </div>
      )}
    </section>
  );
}
