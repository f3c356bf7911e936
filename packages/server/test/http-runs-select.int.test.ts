/**
 * The runs listing's `select` through a real server: the listed runs hold only the config and
 * summary paths asked for, with the values that were logged (nested, escaped dots, NaN/±Infinity
 * exact), a path some runs lack absent from those; without `select` the listing is whole.
 */
import { describe, expect, test } from "vitest";
import { apiPaths, parseExtended, runListResponseSchema, type RunRef } from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";

const runs = (runId: string): RunRef => ({ entity: "local", project: "sel", runId });

const CONFIG = { opt: { lr: 0.01, name: "adam", betas: [0.9, 0.99] }, "data.root": "/d", seed: 7 };
const SUMMARY = {
  loss: Number.NaN,
  best: Number.POSITIVE_INFINITY,
  worst: Number.NEGATIVE_INFINITY,
  "val/acc": { max: 0.93, min: 0.4 },
  "train.lr": 0.5,
  nested: { a: { b: { c: 3 } }, other: 1 },
  many: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
};

type Started = Awaited<ReturnType<typeof startTestServer>>;

async function seed(t: Started): Promise<void> {
  await t.ingest(runs("full"), { run: { name: "full", config: CONFIG, startTime: 1 }, summary: SUMMARY });
  // Lacks most paths; `opt` is a number, so `opt.lr` goes through a non-object.
  await t.ingest(runs("sparse"), {
    run: { name: "sparse", config: { opt: 3 }, startTime: 2 },
    summary: { loss: 1 },
  });
}

async function list(t: Started, method: "GET" | "POST", arg: string | object) {
  const path = apiPaths.runs("local", "sel");
  const response =
    typeof arg === "string" ? await t.fetch(`${path}?${arg}`) : await t.send("POST", path, arg);
  expect(response.status, method).toBe(200);
  return runListResponseSchema.parse(parseExtended(await response.text()));
}

const EXPECTED_FULL = {
  config: { opt: { lr: 0.01, betas: [0.9, 0.99] }, "data.root": "/d" },
  summary: {
    loss: Number.NaN,
    best: Number.POSITIVE_INFINITY,
    worst: Number.NEGATIVE_INFINITY,
    "val/acc": { max: 0.93 },
    "train.lr": 0.5,
    nested: { a: { b: { c: 3 } } },
  },
};

describe("runs listing select", () => {
  test("POST select: only the named paths, with the logged values", async () => {
    await using t = await startTestServer();
    await seed(t);
    const page = await list(t, "POST", {
      order: { field: "createdAt", desc: false },
      select: {
        config: ["opt.lr", "opt.betas", "data\\.root", "absent"],
        summary: ["loss", "best", "worst", "val/acc.max", "train\\.lr", "nested.a", "nested.zz"],
      },
    });
    expect(page.runs.map((r) => r.id)).toEqual(["full", "sparse"]);
    const [full, sparse] = page.runs;
    expect({ config: full?.config, summary: full?.summary }).toEqual(EXPECTED_FULL);
    expect(Number.isNaN(full?.summary["loss"])).toBe(true);
    // Unrequested keys are absent, not null.
    expect(Object.keys(full?.config ?? {}).sort()).toEqual(["data.root", "opt"]);
    expect(Object.keys(full?.summary ?? {})).not.toContain("many");
    expect(Object.keys((full?.config["opt"] as object | undefined) ?? {}).sort()).toEqual(["betas", "lr"]);
    expect({ config: sparse?.config, summary: sparse?.summary }).toEqual({
      config: {},
      summary: { loss: 1 },
    });
    // Only one side named: the other is empty.
    const onlySummary = await list(t, "POST", { select: { summary: ["many.k1999"] } });
    expect(onlySummary.runs.map((r) => [r.config, r.summary])).toEqual([
      [{}, {}],
      [{}, { many: { k1999: 1999 } }],
    ]);
  });

  test("GET select takes a comma list of summary.<path> / config.<path>", async () => {
    await using t = await startTestServer();
    await seed(t);
    const query = new URLSearchParams({
      sort: "createdAt",
      select:
        "config.opt.lr,config.opt.betas,config.data\\.root,summary.loss,summary.best,summary.worst," +
        "summary.val/acc.max,summary.train\\.lr,summary.nested.a",
    });
    const page = await list(t, "GET", query.toString());
    expect({ config: page.runs[0]?.config, summary: page.runs[0]?.summary }).toEqual(EXPECTED_FULL);
    expect(page.runs[1]?.summary).toEqual({ loss: 1 });
  });

  test("without select the runs are whole; a bad select is a 400 naming it", async () => {
    await using t = await startTestServer();
    await seed(t);
    const page = await list(t, "GET", "sort=createdAt");
    expect(page.runs[0]?.config).toEqual(CONFIG);
    expect(page.runs[0]?.summary).toEqual(SUMMARY);
    const path = apiPaths.runs("local", "sel");
    const bad = await t.fetch(`${path}?select=loss`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("select");
    const badBody = await t.send("POST", path, { select: { metrics: ["x"] } });
    expect(badBody.status).toBe(400);
    expect(await badBody.text()).toContain("select");
  });
});
