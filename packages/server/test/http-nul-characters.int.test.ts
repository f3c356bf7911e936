/**
 * U+0000 (NUL) in what a run sends. PostgreSQL text and jsonb cannot hold it, so the rule is one
 * for both stores (limits.ts `keyProblem`, `notesProblem`, `runTextSchema`): a key (history,
 * config, summary, table, histogram), a run name, tag, notes, host or program, an alert's title
 * or text, an artifact description or a file path holding NUL is refused with a 4xx naming the field, and values
 * (strings in config, summary, rows, console lines, artifact metadata) are stored and read back
 * exactly. Runs in the unit tier (SQLite) and again in the postgres tier.
 */
import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import {
  apiPaths,
  consolePaths,
  manifestDigestText,
  mediaPaths,
  runDtoSchema,
  structuredPaths,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-nul" };
const NUL = "a\u0000b";

test("a key holding U+0000 is a 400 naming the field, and the run keeps taking batches", async () => {
  await using t = await startTestServer();
  const refused = [
    { history: { offset: 0, rows: [{ _step: 0, [NUL]: 1 }] } },
    { history: { offset: 0, lines: [`{"_step":0,"a\\u0000b":1}`] } },
    { run: { config: { [NUL]: 1 } } },
    { run: { config: { nested: { [NUL]: 1 } } } },
    { summary: { [NUL]: 1 } },
    { meta: { offset: 0, records: [{ t: "summary", ops: [{ op: "set", path: [NUL], value: 1 }] }] } },
    { run: { name: NUL } },
    { run: { tags: [NUL] } },
    { run: { notes: NUL } },
    { run: { host: NUL } },
    { run: { args: [NUL] } },
    { meta: { offset: 0, records: [{ t: "run-update", notes: NUL }] } },
    { meta: { offset: 0, records: [{ t: "config", update: { [NUL]: 1 } }] } },
    { meta: { offset: 0, records: [{ t: "alert", title: NUL, text: "", level: "INFO", time: 1, step: 0 }] } },
    {
      meta: { offset: 0, records: [{ t: "alert", title: "t", text: NUL, level: "INFO", time: 1, step: 0 }] },
    },
  ];
  for (const batch of refused) {
    const response = await t.ingest(ref, batch as never);
    const body = await response.text();
    expect({ batch: JSON.stringify(batch), status: response.status }).toEqual({
      batch: JSON.stringify(batch),
      status: 400,
    });
    expect(body).toMatch(/U\+0000/);
  }
  const ok = await t.ingest(ref, { history: { offset: 0, rows: [{ _step: 0, a: 1 }] } });
  expect(ok.status).toBe(200);
  for (const patch of [{ notes: NUL }, { config: { [NUL]: 1 } }, { summary: { [NUL]: 1 } }]) {
    const response = await t.send("PATCH", apiPaths.run(ref), patch);
    expect({ patch: JSON.stringify(patch), status: response.status }).toEqual({
      patch: JSON.stringify(patch),
      status: 400,
    });
  }
  for (const path of [structuredPaths.tableQuery(ref), structuredPaths.histograms(ref)]) {
    const response = await t.send("POST", path, { key: NUL });
    expect(response.status).toBe(400);
  }
  const axis = await t.send("POST", structuredPaths.histograms(ref), { key: "h", xAxis: NUL });
  expect(axis.status).toBe(400);
  // Every route that looks a key up refuses one holding NUL (PostgreSQL answered 500 before).
  const q = encodeURIComponent(NUL);
  const lookups: Array<[string, Promise<Response>]> = [
    ["series keys", t.send("POST", apiPaths.series(), { runs: [ref], keys: [NUL] })],
    ["series xAxis", t.send("POST", apiPaths.series(), { runs: [ref], keys: ["a"], xAxis: NUL })],
    ["series-keys search", t.send("POST", apiPaths.seriesKeys(), { runs: [ref], search: NUL })],
    ["series-keys cursor", t.send("POST", apiPaths.seriesKeys(), { runs: [ref], cursor: NUL })],
    ["media", t.fetch(`${mediaPaths.media("local", "demo")}?key=${q}&runs=${ref.runId}`)],
    ["media steps", t.fetch(`${mediaPaths.mediaSteps("local", "demo")}?key=${q}&runs=${ref.runId}`)],
    ["key kinds", t.fetch(`${mediaPaths.keyKinds("local", "demo")}?key=${q}&runs=${ref.runId}`)],
  ];
  for (const [name, answer] of lookups) {
    const response = await answer;
    expect({ name, status: response.status }).toEqual({ name, status: 400 });
    expect(await response.text()).toMatch(/U\+0000/);
  }
  const file = await t.fetch(apiPaths.file(ref, NUL), { method: "PUT", body: "x" });
  expect(file.status).toBeGreaterThanOrEqual(400);
  expect(file.status).toBeLessThan(500);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 60_000);

test("values holding U+0000 are stored and read back exactly", async () => {
  await using t = await startTestServer();
  const response = await t.ingest(ref, {
    run: { name: "n", config: { s: NUL, nested: { list: [NUL] } } },
    history: { offset: 0, rows: [{ _step: 0, text: NUL }] },
    console: { offset: 0, lines: [`line ${NUL}`, "\u0001 begins with U+0001", "plain"] },
    summary: { best: NUL },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const run = runDtoSchema.parse(await (await t.fetch(apiPaths.run(ref))).json());
  expect(run.config).toMatchObject({ s: NUL, nested: { list: [NUL] } });
  expect(run.summary).toMatchObject({ best: NUL });
  const history = (await (await t.fetch(apiPaths.history(ref))).text()).trim();
  expect(JSON.parse(history)).toMatchObject({ _step: 0, text: NUL });
  const lines = (await (await t.fetch(consolePaths.lines(ref))).json()) as { lines: Array<{ text: string }> };
  expect(lines.lines.map((line) => line.text)).toEqual([`line ${NUL}`, "\u0001 begins with U+0001", "plain"]);
  const list = (filters: unknown[], order?: unknown): Promise<Response> =>
    t.send("POST", apiPaths.runs("local", "demo"), { filters, ...(order ? { order } : {}) });
  const ids = async (filters: unknown[]): Promise<string[]> => {
    const listed = await list(filters);
    expect(listed.status, JSON.stringify(filters)).toBe(200);
    return ((await listed.json()) as { runs: Array<{ id: string }> }).runs.map((r) => r.id);
  };
  expect(await ids([{ field: "config", path: "s", op: "eq", value: NUL }])).toEqual([ref.runId]);
  expect(await ids([{ field: "summary", path: "best", op: "in", value: [NUL] }])).toEqual([ref.runId]);
  expect(await ids([{ field: "config", path: "s", op: "eq", value: "ab" }])).toEqual([]);
  // No key holds NUL (limits.ts), so a path naming one is refused like a bad key.
  expect((await list([{ field: "config", path: NUL, op: "exists" }])).status).toBe(400);
  expect((await list([], { field: "config", path: NUL, desc: true })).status).toBe(400);
  expect(await ids([{ field: "name", op: "eq", value: NUL }])).toEqual([]);
  expect(await ids([{ field: "name", op: "contains", value: NUL }])).toEqual([]);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 60_000);

test("an artifact description holding U+0000 is a 400; metadata values and keys keep it", async () => {
  await using t = await startTestServer();
  const digest = createHash("sha256").update(manifestDigestText([])).digest("hex");
  const commit = (name: string, extra: object): Promise<Response> =>
    t.send("POST", `/api/v1/artifacts/local/p/${name}/versions`, {
      type: "model",
      manifest: { version: 1, entries: [] },
      digest,
      run: null,
      ...extra,
    });
  const refused = await commit("a", { description: NUL });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toMatch(/body\.description: holds U\+0000/);
  expect((await commit("b", { metadata: { s: NUL, [NUL]: 1 } })).status).toBe(201);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 60_000);
