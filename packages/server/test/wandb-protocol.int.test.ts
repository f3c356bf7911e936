/**
 * W&B's wire protocol as its clients speak it (docs/wandb.md), request by request against a real
 * server: GraphQL introspection and errors, credentials, file_stream offsets (re-sends change
 * nothing, a gap is realigned, never refused), summary and exit, stop, and upload URLs that
 * authorise themselves. What each request stores is read back through Stepwise's own API.
 */
import { afterEach, describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server[Symbol.asyncDispose]();
});

async function start(): Promise<TestServer> {
  const server = await startTestServer();
  servers.push(server);
  return server;
}

/** The value at `path` inside a GraphQL answer's data. */
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | null | undefined)?.[k], value);
const names = (value: unknown): string[] => (value as Array<{ name: string }>).map((f) => f.name);

const basic = (key: string): string => `Basic ${Buffer.from(`api:${key}`).toString("base64")}`;

async function gql(t: TestServer, query: string, variables: Record<string, unknown> = {}, key = t.adminKey) {
  const response = await t.fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basic(key) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> },
  };
}

async function stream(t: TestServer, run: string, body: string) {
  const response = await t.fetch(`/files/local/p/${run}/file_stream`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basic(t.adminKey) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function runOf(t: TestServer, run: string): Promise<Record<string, unknown>> {
  const response = await t.fetch(`/api/v1/runs/local/p/${run}`, {
    headers: { authorization: `Bearer ${t.adminKey}` },
  });
  return parseExtended(await response.text()) as Record<string, unknown>;
}

async function history(t: TestServer, run: string): Promise<Array<Record<string, unknown>>> {
  const response = await t.fetch(`/api/v1/runs/local/p/${run}/history?format=ndjson`, {
    headers: { authorization: `Bearer ${t.adminKey}` },
  });
  const text = await response.text();
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => parseExtended(l) as Record<string, unknown>);
}

const UPSERT = `mutation UpsertBucket($name: String, $project: String, $entity: String, $config: JSONString, $displayName: String, $tags: [String!], $summaryMetrics: JSONString, $id: String) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, config: $config, displayName: $displayName, tags: $tags, summaryMetrics: $summaryMetrics, id: $id}) {
    bucket { id name displayName config project { name entity { name } } historyLineCount } inserted } }`;

describe("W&B GraphQL", () => {
  test("introspection lists the types old clients probe, unknown fields are errors, a bad key is a 401", async () => {
    const t = await start();
    const probe = await gql(
      t,
      `{ q: __type(name: "Query") { fields { name } } s: __type(name: "ServerInfo") { fields { name } } }`,
    );
    expect(names(at(probe.body.data, "q", "fields"))).toContain("serverInfo");
    expect(names(at(probe.body.data, "s", "fields"))).toEqual(
      expect.arrayContaining(["cliVersionInfo", "latestLocalVersionInfo"]),
    );
    const unknown = await gql(t, "{ viewer { id noSuchField } }");
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0]?.message).toMatch(/noSuchField/);
    const viewer = await gql(
      t,
      "query Viewer { viewer { id entity username flags teams { edges { node { name } } } } }",
    );
    expect(at(viewer.body.data, "viewer", "entity")).toBe("local");
    // The read API routed through wandb-core (0.27+) names no operation with an empty string.
    const unnamed = await t.fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic(t.adminKey) },
      body: JSON.stringify({ query: "query { viewer { entity } }", operationName: "" }),
    });
    expect(await unnamed.json()).toEqual({ data: { viewer: { entity: "local" } } });
    const bad = await gql(t, "{ viewer { id } }", {}, `sw-${"x".repeat(40)}`);
    expect(bad.status).toBe(401);
    expect(bad.body.errors?.[0]?.message).toMatch(/not valid/);
  });

  test("UpsertBucket creates the run with its config unwrapped, updates it, and replaces the summary by id", async () => {
    const t = await start();
    const config = JSON.stringify({ lr: { value: 0.1, desc: null }, _wandb: { value: { t: { 1: [1] } } } });
    const created = await gql(t, UPSERT, {
      name: "r1",
      project: "p",
      config,
      displayName: "first",
      tags: ["x"],
    });
    expect(created.body.errors).toBeUndefined();
    const bucket = at(created.body.data, "upsertBucket", "bucket") as Record<string, unknown>;
    expect(at(created.body.data, "upsertBucket", "inserted")).toBe(true);
    expect(bucket["project"]).toEqual({ name: "p", entity: { name: "local" } });
    expect(JSON.parse(bucket["config"] as string)).toEqual({
      lr: { value: 0.1, desc: null },
      _wandb: { value: { t: { 1: [1] } }, desc: null },
    });
    const stored = await runOf(t, "r1");
    expect(stored["config"]).toEqual({ lr: 0.1, _wandb: { t: { 1: [1] } } });
    expect(stored["name"]).toBe("first");
    expect(stored["tags"]).toEqual(["x"]);
    const again = await gql(t, UPSERT, { id: bucket["id"], summaryMetrics: '{"acc": NaN, "n": 2}' });
    expect(at(again.body.data, "upsertBucket", "inserted")).toBe(false);
    expect((await runOf(t, "r1"))["summary"]).toEqual({ acc: NaN, n: 2 });
    const badName = await gql(t, UPSERT, { name: "a/b", project: "p" });
    expect(badName.status).toBe(200);
    expect(badName.body.errors?.[0]?.message).toMatch(/run id 'a\/b' is not allowed/);
  });

  test("CreateRunFiles hands out URLs that take a PUT without a key, and refuse a changed one", async () => {
    const t = await start();
    await gql(t, UPSERT, { name: "r2", project: "p" });
    const answer = await gql(
      t,
      `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
        createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) { runID uploadHeaders files { name uploadUrl } } }`,
      { entity: "local", project: "p", run: "r2", files: ["wandb-metadata.json", "media/images/a.png"] },
    );
    const files = at(answer.body.data, "createRunFiles", "files") as Array<{
      name: string;
      uploadUrl: string;
    }>;
    expect(files.map((f) => f.name)).toEqual(["wandb-metadata.json", "media/images/a.png"]);
    const put = await fetch(files[0]!.uploadUrl, { method: "PUT", body: '{"os": "linux"}' });
    expect(put.status).toBe(200);
    const download = await t.fetch("/api/v1/runs/local/p/r2/files/wandb-metadata.json", {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(await download.text()).toBe('{"os": "linux"}');
    const forged = files[1]!.uploadUrl.replace(/signature=./, "signature=A");
    expect((await fetch(forged, { method: "PUT", body: "x" })).status).toBe(403);
  });
});

describe("W&B file_stream", () => {
  const line = (step: number, extra = ""): string =>
    `{"_step":${step},"_runtime":${step},"loss":${step}.5${extra}}`;
  const historyBody = (offset: number, steps: number[], extra = ""): string =>
    `{"files":{"wandb-history.jsonl":{"offset":${offset},"content":${JSON.stringify(steps.map((s) => line(s, extra)))}}}}`;

  test("keeps NaN and ±Infinity, takes a re-sent request once, and realigns a gap instead of refusing it", async () => {
    const t = await start();
    expect((await stream(t, "s1", historyBody(0, [0, 1], ',"x":NaN,"y":-Infinity'))).status).toBe(200);
    expect((await stream(t, "s1", historyBody(0, [0, 1], ',"x":NaN,"y":-Infinity'))).status).toBe(200);
    // Past the stored count (2): stored at 2, and the same request again adds nothing.
    const gap = await stream(t, "s1", historyBody(5, [2, 3]));
    expect(gap).toEqual({ status: 200, body: { stopped: false } });
    await stream(t, "s1", historyBody(5, [2, 3]));
    const rows = await history(t, "s1");
    expect(rows.map((r) => r["_step"])).toEqual([0, 1, 2, 3]);
    expect(rows[0]).toMatchObject({ x: NaN, y: -Infinity });
    // A line Stepwise cannot keep still takes its place, so later offsets stay aligned.
    await stream(
      t,
      "s1",
      `{"files":{"wandb-history.jsonl":{"offset":4,"content":["not json", ${JSON.stringify(line(5))}]}}}`,
    );
    expect((await history(t, "s1")).map((r) => r["_step"])).toEqual([0, 1, 2, 3, undefined, 5]);
  });

  test("console lines, summary replacement, stop, preempting and the exit", async () => {
    const t = await start();
    const out = (offset: number, lines: string[]): string =>
      `{"files":{"output.log":{"offset":${offset},"content":${JSON.stringify(lines)}}}}`;
    await stream(
      t,
      "s2",
      out(0, ["2026-01-01T00:00:00.000000 50%", "ERROR 2026-01-01T00:00:01.000000 oops"]),
    );
    await stream(t, "s2", out(0, ["2026-01-01T00:00:02.000000 100%"]));
    const console = await t.fetch("/api/v1/runs/local/p/s2/console", {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    const lines = ((await console.json()) as { lines: Array<{ text: string; stream: string }> }).lines;
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ["stdout", "100%"],
      ["stderr", "oops"],
    ]);

    await stream(
      t,
      "s2",
      `{"files":{"wandb-summary.json":{"offset":0,"content":["{\\"a\\":1,\\"b\\":2}"]}}}`,
    );
    await stream(t, "s2", `{"files":{"wandb-summary.json":{"offset":0,"content":["{\\"a\\":3}"]}}}`);
    expect((await runOf(t, "s2"))["summary"]).toEqual({ a: 3 });

    await t.send("PATCH", "/api/v1/runs/local/p/s2", { stop: true }, { key: t.adminKey });
    expect((await stream(t, "s2", "{}")).body).toEqual({ stopped: true });

    await stream(t, "s2", `{"preempting":true}`);
    expect((await runOf(t, "s2"))["state"]).toBe("preempting");
    await stream(t, "s2", `{"complete":true,"exitcode":1}`);
    const done = await runOf(t, "s2");
    expect([done["state"], done["exitCode"]]).toEqual(["killed", 1]);
  });

  test("a run finishes with exit code 0 as finished; a late heartbeat does not reopen it", async () => {
    const t = await start();
    await stream(t, "s3", historyBody(0, [0]));
    await stream(
      t,
      "s3",
      `{"files":{"wandb-summary.json":{"offset":0,"content":["{\\"loss\\":0.5}"]}},"complete":true,"exitcode":0}`,
    );
    await stream(t, "s3", "{}");
    const run = await runOf(t, "s3");
    expect([run["state"], run["exitCode"], run["summary"]]).toEqual(["finished", 0, { loss: 0.5 }]);
  });
});
