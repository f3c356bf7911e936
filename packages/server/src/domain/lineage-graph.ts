/**
 * The lineage graph around an artifact version: a breadth-first walk both ways over
 * "run produced version" and "run used version", `depth` hops of run ↔ artifact from the start
 * (a dataset → training run → model → evaluation run chain is 3 hops from the model). Knows no
 * store and no HTTP: it asks a narrow port. Edges point along the data: run → artifact it
 * produced (each writer of a distributed version too), artifact → run that used it.
 */
import type { ArtifactVersionDto, LineageGraph, LineageNode, RunRef } from "@stepwise/protocol";

export interface LineagePort {
  /** The runs that used a version. */
  consumers(version: ArtifactVersionDto): Promise<RunRef[]>;
  /** What a run produced and used. */
  runLineage(run: RunRef): Promise<{ produced: ArtifactVersionDto[]; used: ArtifactVersionDto[] }>;
}

export const artifactNodeId = (v: { entity: string; project: string; name: string; version: string }) =>
  `artifact:${v.entity}/${v.project}/${v.name}:${v.version}`;
export const runNodeId = (r: RunRef) => `run:${r.entity}/${r.project}/${r.runId}`;

/**
 * The runs that produced a version: the one that logged (or finished) it and, for a distributed
 * version, each that upserted into it. A DTO from an older server lists none: its producer.
 */
function producersOf(version: ArtifactVersionDto): RunRef[] {
  if (version.producers.length > 0) return version.producers;
  return version.producer === null ? [] : [version.producer];
}

type Item = { kind: "artifact"; value: ArtifactVersionDto } | { kind: "run"; value: RunRef };

export async function lineageGraph(
  port: LineagePort,
  start: ArtifactVersionDto,
  depth: number,
  maxNodes: number,
): Promise<LineageGraph> {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, { from: string; to: string }>();
  let truncated = false;
  const addEdge = (from: string, to: string) => edges.set(`${from}>${to}`, { from, to });
  const visit = (item: Item): string | null => {
    const id = item.kind === "artifact" ? artifactNodeId(item.value) : runNodeId(item.value);
    if (nodes.has(id)) return id;
    if (nodes.size >= maxNodes) {
      truncated = true;
      return null;
    }
    nodes.set(
      id,
      item.kind === "artifact"
        ? {
            kind: "artifact",
            id,
            entity: item.value.entity,
            project: item.value.project,
            name: item.value.name,
            type: item.value.type,
            version: item.value.version,
          }
        : { kind: "run", id, ...item.value },
    );
    frontier.push(item);
    return id;
  };
  let frontier: Item[] = [];
  visit({ kind: "artifact", value: start });
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const current = frontier;
    frontier = [];
    for (const item of current) {
      if (item.kind === "artifact") {
        const id = artifactNodeId(item.value);
        for (const run of producersOf(item.value)) {
          const producer = visit({ kind: "run", value: run });
          if (producer !== null) addEdge(producer, id);
        }
        for (const run of await port.consumers(item.value)) {
          const consumer = visit({ kind: "run", value: run });
          if (consumer !== null) addEdge(id, consumer);
        }
      } else {
        const id = runNodeId(item.value);
        const { produced, used } = await port.runLineage(item.value);
        for (const version of produced) {
          const to = visit({ kind: "artifact", value: version });
          if (to !== null) addEdge(id, to);
        }
        for (const version of used) {
          const from = visit({ kind: "artifact", value: version });
          if (from !== null) addEdge(from, id);
        }
      }
    }
  }
  // Nodes met at the last hop may have neighbours the walk did not reach: asked once more, so
  // that "there may be more" is said only when there is.
  for (const item of truncated ? [] : frontier) {
    const neighbours =
      item.kind === "artifact"
        ? [...producersOf(item.value).map(runNodeId), ...(await port.consumers(item.value)).map(runNodeId)]
        : Object.values(await port.runLineage(item.value)).flatMap((versions) =>
            versions.map(artifactNodeId),
          );
    if (neighbours.some((id) => !nodes.has(id))) {
      truncated = true;
      break;
    }
  }
  return { root: artifactNodeId(start), nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
