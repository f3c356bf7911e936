/**
 * The lineage walk over a chain prep → data:v0 → train → model:v0 → eval → report:v0 held in
 * plain maps (the walk knows no store; the store's side is in the artifact contract topic): it
 * reaches what lies within its hops, and says "there may be more" only when there is.
 */
import { describe, expect, it } from "vitest";
import type { ArtifactVersionDto, RunRef } from "@stepwise/protocol";
import { lineageGraph, type LineagePort } from "../src/domain/lineage-graph.js";

const run = (runId: string): RunRef => ({ entity: "e", project: "p", runId });
const version = (name: string, producer: string, writers: string[] = []): ArtifactVersionDto => ({
  entity: "e",
  project: "p",
  name,
  type: "t",
  version: "v0",
  digest: "0".repeat(64),
  description: "",
  metadata: {},
  aliases: [],
  tags: [],
  fileCount: 0,
  size: 0,
  producer: { ...run(producer) },
  producers: [run(producer), ...writers.map(run)],
  createdAt: 0,
  ttlS: null,
});

const data = version("data", "prep");
const model = version("model", "train");
const report = version("report", "eval");
const uses: Record<string, ArtifactVersionDto[]> = { train: [data], eval: [model] };
const produced: Record<string, ArtifactVersionDto[]> = { prep: [data], train: [model], eval: [report] };
const port: LineagePort = {
  consumers: (v) =>
    Promise.resolve(
      Object.entries(uses)
        .filter(([, used]) => used.some((u) => u.name === v.name))
        .map(([id]) => run(id)),
    ),
  runLineage: (r) => Promise.resolve({ produced: produced[r.runId] ?? [], used: uses[r.runId] ?? [] }),
};

const labels = (graph: { nodes: { id: string }[] }) =>
  graph.nodes.map((n) => n.id.replace(/^.*\//, "")).sort();

describe("lineage graph", () => {
  it("walks both ways within its hops and is whole when nothing lies beyond", async () => {
    const graph = await lineageGraph(port, data, 5, 100);
    expect(labels(graph)).toEqual(["data:v0", "eval", "model:v0", "prep", "report:v0", "train"]);
    expect(graph.edges).toHaveLength(5);
    expect(graph.truncated).toBe(false);
  });

  it("says there may be more when the last hop's nodes have neighbours not drawn", async () => {
    const graph = await lineageGraph(port, data, 2, 100);
    expect(labels(graph)).toEqual(["data:v0", "model:v0", "prep", "train"]);
    expect(graph.truncated).toBe(true);
  });

  it("is whole when the last hop ends exactly where the chain does", async () => {
    // From the model: 2 hops reach prep's dataset on one side and the report on the other;
    // 3 reach prep, which has nothing more.
    expect((await lineageGraph(port, model, 2, 100)).truncated).toBe(true);
    expect((await lineageGraph(port, model, 3, 100)).truncated).toBe(false);
  });

  it("draws an edge from every run that produced a distributed version, the finisher and each writer", async () => {
    const shards = version("shards", "finisher", ["rank0", "rank1"]);
    const made: Record<string, ArtifactVersionDto[]> = {
      finisher: [shards],
      rank0: [shards],
      rank1: [shards],
    };
    const distributedPort: LineagePort = {
      consumers: () => Promise.resolve([]),
      runLineage: (r) => Promise.resolve({ produced: made[r.runId] ?? [], used: [] }),
    };
    const graph = await lineageGraph(distributedPort, shards, 1, 100);
    expect(
      graph.edges.map((e) => `${e.from.replace(/^.*\//, "")}>${e.to.replace(/^.*\//, "")}`).sort(),
    ).toEqual(["finisher>shards:v0", "rank0>shards:v0", "rank1>shards:v0"]);
    expect(graph.truncated).toBe(false);
  });

  it("stops at the node limit and says so", async () => {
    const graph = await lineageGraph(port, data, 5, 3);
    expect(graph.nodes).toHaveLength(3);
    expect(graph.truncated).toBe(true);
  });
});
