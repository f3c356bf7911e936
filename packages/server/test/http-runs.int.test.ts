/** The run endpoints through a real server: ingest, detail, list with filters, edits, entities. */
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  entityListResponseSchema,
  ingestResponseSchema,
  parseExtended,
  projectListResponseSchema,
  runDtoSchema,
  runListResponseSchema,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

async function json(response: Response): Promise<unknown> {
  return parseExtended(await response.text());
}

describe("ingest", () => {
  test("creates the run on first sight and answers the next offsets", async () => {
    await using t = await startTestServer();
    const response = await t.ingest(ref, { run: { name: "first", tags: ["a"] }, ...historyBatch(0, 3) });
    expect(response.status).toBe(200);
    const body = ingestResponseSchema.parse(await json(response));
    expect(body).toMatchObject({ next: { history: 3 }, stopped: false, state: "running", name: "first" });
  });

  test("re-sending a batch changes nothing", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 5));
    const again = ingestResponseSchema.parse(await json(await t.ingest(ref, historyBatch(0, 5))));
    expect(again.next.history).toBe(5);
    const history = await (await t.fetch(apiPaths.history(ref))).text();
    expect(history.trim().split("\n")).toHaveLength(5);
  });

  test("a batch past the stored count is refused with 409 naming the expected offset", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 2));
    const response = await t.ingest(ref, historyBatch(10, 2));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: "OFFSET_GAP", details: { stream: "history", expected: 2 } },
    });
  });

  test("accepts a gzip body and NaN/Infinity values", async () => {
    await using t = await startTestServer();
    const batch = {
      history: { offset: 0, rows: [{ _step: 0, loss: Number.NaN, best: Number.POSITIVE_INFINITY }] },
    };
    expect((await t.send("POST", apiPaths.ingest(ref), batch, { gzip: true })).status).toBe(200);
    const line = (await (await t.fetch(apiPaths.history(ref))).text()).trim();
    expect(parseExtended(line)).toMatchObject({ _step: 0, loss: Number.NaN, best: Number.POSITIVE_INFINITY });
  });
});

describe("run detail and edits", () => {
  test("GET returns the run; PATCH edits name, tags, notes, summary, config and asks it to stop", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, {
      run: { name: "n", config: { lr: 0.1 } },
      ...historyBatch(0, 2),
      summary: { loss: 0.5 },
    });
    const run = runDtoSchema.parse(await json(await t.fetch(apiPaths.run(ref))));
    expect(run).toMatchObject({ id: "run-1", name: "n", state: "running", config: { lr: 0.1 }, lastStep: 1 });

    const patch = {
      name: "renamed",
      tags: ["x", "y"],
      notes: "hi",
      summary: { best: 1 },
      config: { opt: { b: 2 } },
      stop: true,
    };
    const patched = await t.send("PATCH", apiPaths.run(ref), patch);
    expect(patched.status).toBe(200);
    const after = runDtoSchema.parse(await json(patched));
    expect(after).toMatchObject({ name: "renamed", tags: ["x", "y"], notes: "hi", stopRequested: true });
    expect(after.summary).toMatchObject({ loss: 0.5, best: 1 });
    expect(after.config).toMatchObject({ lr: 0.1, opt: { b: 2 } });
    const next = ingestResponseSchema.parse(await json(await t.ingest(ref, historyBatch(2, 1))));
    expect(next.stopped).toBe(true);
  });

  test("an unknown run is a 404 that names it", async () => {
    await using t = await startTestServer();
    const response = await t.fetch(apiPaths.run({ ...ref, runId: "nope" }));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "local/demo/nope",
    );
    expect((await t.send("PATCH", apiPaths.run({ ...ref, runId: "nope" }), { name: "x" })).status).toBe(404);
  });

  test("PATCH with an unknown field is a 400 naming it", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const response = await t.send("PATCH", apiPaths.run(ref), { nmae: "typo" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("nmae");
  });
});

describe("run lists", () => {
  async function seed(t: Awaited<ReturnType<typeof startTestServer>>): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const runRef = { ...ref, runId: `r${i}` };
      await t.ingest(runRef, {
        run: {
          name: `run-${i}`,
          group: i % 2 === 0 ? "even" : "odd",
          tags: i === 3 ? ["best"] : [],
          config: { lr: i / 10 },
        },
        ...historyBatch(0, 1),
        summary: { acc: i },
      });
    }
    await t.ingest({ ...ref, runId: "r4" }, { exit: { exitCode: 0, runtime: 1 } });
  }

  test("GET filters by state, tags, group and name, sorts and pages", async () => {
    await using t = await startTestServer();
    await seed(t);
    const list = async (query: string) =>
      runListResponseSchema.parse(await json(await t.fetch(`${apiPaths.runs("local", "demo")}?${query}`)));
    expect((await list("")).total).toBe(5);
    expect((await list("state=finished")).runs.map((r) => r.id)).toEqual(["r4"]);
    expect((await list("tags=best")).runs.map((r) => r.id)).toEqual(["r3"]);
    expect((await list("group=even")).total).toBe(3);
    expect((await list("name=run-2")).runs.map((r) => r.id)).toEqual(["r2"]);
    expect((await list("sort=-summary.acc")).runs.map((r) => r.id)).toEqual(["r4", "r3", "r2", "r1", "r0"]);
    const first = await list("sort=name&limit=2");
    expect(first.runs.map((r) => r.id)).toEqual(["r0", "r1"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(`sort=name&limit=2&cursor=${encodeURIComponent(first.nextCursor ?? "")}`);
    expect(second.runs.map((r) => r.id)).toEqual(["r2", "r3"]);
  });

  test("POST takes full filters on config and summary", async () => {
    await using t = await startTestServer();
    await seed(t);
    const body = {
      filters: [
        { field: "config", path: "lr", op: "gte", value: 0.2 },
        { field: "summary", path: "acc", op: "lt", value: 4 },
      ],
      order: { field: "summary", path: "acc", desc: false },
    };
    const page = runListResponseSchema.parse(
      await json(await t.send("POST", apiPaths.runs("local", "demo"), body)),
    );
    expect(page.runs.map((r) => r.id)).toEqual(["r2", "r3"]);
  });

  test("bad list parameters are 400s naming the parameter", async () => {
    await using t = await startTestServer();
    for (const [query, field] of [
      ["state=sleeping", "state"],
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["sort=color", "sort"],
      ["colour=red", "colour"],
    ] as const) {
      const response = await t.fetch(`${apiPaths.runs("local", "demo")}?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toContain(field);
    }
  });

  test("entities and projects list what was ingested", async () => {
    await using t = await startTestServer();
    await seed(t);
    await t.ingest({ entity: "team", project: "other", runId: "x" }, historyBatch(0, 1));
    const entities = entityListResponseSchema.parse(await json(await t.fetch(apiPaths.entities())));
    expect(entities.entities.map((e) => e.name).sort()).toEqual(["local", "team"]);
    const projects = projectListResponseSchema.parse(await json(await t.fetch(apiPaths.projects("local"))));
    expect(projects.projects).toEqual([expect.objectContaining({ entity: "local", name: "demo", runs: 5 })]);
  });
});

describe("crash detection", () => {
  test("a running run without traffic for the crash timeout becomes crashed", async () => {
    await using t = await startTestServer({ crashTimeoutS: 0.3 });
    await t.ingest(ref, historyBatch(0, 1));
    const quiet = { ...ref, runId: "done" };
    await t.ingest(quiet, { ...historyBatch(0, 1), exit: { exitCode: 0, runtime: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const run = runDtoSchema.parse(await json(await t.fetch(apiPaths.run(ref))));
    expect(run.state).toBe("crashed");
    const finished = runDtoSchema.parse(await json(await t.fetch(apiPaths.run(quiet))));
    expect(finished.state).toBe("finished");
  });
});

test("GET / without a web UI build says how to build it and links to the API, without a key", async () => {
  await using t = await startTestServer({ trustLoopback: false });
  const response = await t.fetch("/");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/html");
  const page = await response.text();
  expect(page).toContain("npm run build -w @stepwise/web");
  expect(page).toContain('href="/api/v1/entities"');
});
