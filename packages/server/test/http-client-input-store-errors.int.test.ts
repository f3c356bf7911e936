/**
 * Requests whose input would make SQLite itself fail (too many bound values, an expression too
 * deep) are refused with a 400 naming the fix, never a 500; right at the limit they work and
 * find the runs they should.
 */
import { expect, test } from "vitest";
import { apiPaths, parseExtended, type RunRef } from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";

const list = apiPaths.runs("local", "p");
const runIds = (body: unknown): string[] =>
  (body as { runs: Array<{ id: string }> }).runs.map((run) => run.id);

test("an 'in' list of 1,000 summary values finds the runs with one of them", async () => {
  await using t = await startTestServer();
  for (const [runId, loss] of [
    ["a", 999],
    ["b", 1000],
    ["c", 3],
  ] as const) {
    const ref: RunRef = { entity: "local", project: "p", runId };
    expect((await t.ingest(ref, { summary: { loss } })).status).toBe(200);
  }
  const values = Array.from({ length: 1000 }, (_, i) => i);
  // Ten such filters: 30,000 bound values, still within what one query takes.
  const filters = Array.from({ length: 10 }, () => ({
    field: "summary",
    path: "loss",
    op: "in",
    value: values,
  }));
  const response = await t.send("POST", list, { filters });
  expect(response.status).toBe(200);
  expect(runIds(parseExtended(await response.text())).sort()).toEqual(["a", "c"]);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
});

test("filters that need more bound values than SQLite takes are a 400 naming the fix", async () => {
  await using t = await startTestServer();
  const names = Array.from({ length: 1000 }, (_, i) => `run-${i}`);
  const cases = [
    Array.from({ length: 100 }, () => ({ field: "name", op: "in", value: names })),
    Array.from({ length: 100 }, (_, i) => ({ field: "config", path: `p${i}`, op: "in", value: names })),
  ];
  for (const filters of cases) {
    const response = await t.send("POST", list, { filters });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("INVALID_DATA");
    expect(error.message).toContain("the run filters need");
    expect(error.message).toContain("split the query");
  }
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
});
