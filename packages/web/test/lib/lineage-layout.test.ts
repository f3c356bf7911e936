import { describe, expect, it } from "vitest";
import type { LineageGraph, LineageNode } from "@stepwise/protocol";
import { layoutLineage, NODE_WIDTH } from "../../src/lib/lineage-layout.js";

const artifact = (name: string, type: string, version = "v0"): LineageNode => ({
  kind: "artifact",
  id: `artifact:e/p/${name}:${version}`,
  entity: "e",
  project: "p",
  name,
  type,
  version,
});
const run = (runId: string): LineageNode => ({
  kind: "run",
  id: `run:e/p/${runId}`,
  entity: "e",
  project: "p",
  runId,
});

describe("the lineage graph's layout", () => {
  it("puts a dataset → train → model → eval chain in four columns, producers left of the version", () => {
    const [data, train, model, evaluation] = [
      artifact("mnist", "dataset"),
      run("train"),
      artifact("cnn", "model"),
      run("eval"),
    ];
    const graph: LineageGraph = {
      root: model.id,
      nodes: [model, train, data, evaluation],
      edges: [
        { from: data.id, to: train.id },
        { from: train.id, to: model.id },
        { from: model.id, to: evaluation.id },
      ],
      truncated: false,
    };
    const layout = layoutLineage(graph);
    const x = (id: string) => layout.nodes.find((n) => n.id === id)?.x;
    expect([x(data.id), x(train.id), x(model.id), x(evaluation.id)]).toEqual(
      [0, 1, 2, 3].map((i) => i * (NODE_WIDTH + 80)),
    );
    expect(layout.nodes.find((n) => n.root)?.label).toBe("cnn:v0");
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toHaveLength(3);
    // Every edge runs left to right.
    for (const e of layout.edges) expect((x(e.from) ?? 0) < (x(e.to) ?? 0)).toBe(true);
  });

  it("clusters more than 20 runs of one column into one node, expandable, never the version itself", () => {
    const model = artifact("cnn", "model");
    const evals = Array.from({ length: 25 }, (_, i) => run(`eval-${i}`));
    const graph: LineageGraph = {
      root: model.id,
      nodes: [model, ...evals],
      edges: evals.map((r) => ({ from: model.id, to: r.id })),
      truncated: false,
    };
    const clustered = layoutLineage(graph);
    expect(clustered.nodes).toHaveLength(2);
    const cluster = clustered.nodes.find((n) => n.kind === "cluster");
    expect(cluster?.label).toBe("25 runs");
    expect(cluster?.members).toHaveLength(25);
    expect(clustered.edges).toEqual([expect.objectContaining({ from: model.id, to: cluster?.id })]);
    const open = layoutLineage(graph, new Set([cluster?.id ?? ""]));
    expect(open.nodes).toHaveLength(26);
    expect(open.edges).toHaveLength(25);
    // 20 or fewer stay as they are.
    expect(
      layoutLineage({ ...graph, nodes: [model, ...evals.slice(0, 20)], edges: graph.edges.slice(0, 20) })
        .nodes,
    ).toHaveLength(21);
  });
});
