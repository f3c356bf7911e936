/**
 * Key kinds through a real server: a key that held numbers and then images is reported with
 * both kinds (in the order it held them) and flagged mixed; a string key is listed with its
 * kind; a numeric-only key is listed when asked for; runs narrow the answer. And the media
 * routes' bad parameters: a 400 naming the field, never a 5xx.
 */
import { describe, expect, test } from "vitest";
import {
  errorBodySchema,
  keyKindsResponseSchema,
  mediaPaths,
  type KeyKindsResponse,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { imageValue, png } from "./support/media-values.js";

const project = { entity: "local", project: "kinds" };
const run = (runId: string) => ({ ...project, runId });

async function kinds(t: TestServer, query: string): Promise<KeyKindsResponse> {
  const response = await t.fetch(`${mediaPaths.keyKinds(project.entity, project.project)}?${query}`);
  expect(response.status).toBe(200);
  return keyKindsResponseSchema.parse(await response.json());
}

describe("key kinds", () => {
  test("a key that held numbers, then images is reported with both kinds and flagged mixed", async () => {
    await using t = await startTestServer();
    const rows: Array<Record<string, unknown>> = [];
    for (let step = 0; step < 10; step++) {
      const sample = step < 5 ? step * 0.5 : imageValue("sample", step, await png(2, 2, step), 2, 2);
      rows.push({ _step: step, loss: 1 / (step + 1), sample, phase: step % 2 === 0 ? "train" : "eval" });
    }
    await t.ingest(run("a"), { history: { offset: 0, rows } });
    // Another run logs `sample` as numbers only, and a nested string under a namespace.
    await t.ingest(run("b"), { history: { offset: 0, rows: [{ _step: 0, sample: 1, meta: { tag: "x" } }] } });

    const all = await kinds(t, "");
    expect(all.keys.map((k) => k.key)).toEqual(["meta.tag", "phase", "sample"]);
    const sample = all.keys.find((k) => k.key === "sample");
    expect(sample?.mixed).toBe(true);
    expect(sample?.kinds).toEqual([
      { kind: "number", panel: "chart", runs: 2, count: 6, firstStep: 0, lastStep: 4 },
      { kind: "image-file", panel: "image", runs: 1, count: 5, firstStep: 5, lastStep: 9 },
    ]);
    expect(all.keys.find((k) => k.key === "phase")).toEqual({
      key: "phase",
      kinds: [{ kind: "string", panel: "text", runs: 1, count: 10, firstStep: 0, lastStep: 9 }],
      mixed: false,
    });

    const onlyB = await kinds(t, "runs=b&key=sample&key=loss");
    expect(onlyB.keys).toEqual([
      {
        key: "sample",
        kinds: [{ kind: "number", panel: "chart", runs: 1, count: 1, firstStep: 0, lastStep: 0 }],
        mixed: false,
      },
    ]);
    // A workspace's visible runs, up to 1,000 (unknown ids count for nothing).
    const many = Array.from({ length: 998 }, (_, i) => `x${i}`).concat(["a", "b"]);
    expect((await kinds(t, `runs=${many.join(",")}`)).keys).toEqual(all.keys);
    const loss = await kinds(t, "key=loss");
    expect(loss.keys[0]?.kinds.map((k) => [k.kind, k.count])).toEqual([["number", 10]]);
  });

  test("re-sending a batch counts nothing twice", async () => {
    await using t = await startTestServer();
    const batch = {
      history: {
        offset: 0,
        rows: [
          { _step: 0, note: "a" },
          { _step: 1, note: "b" },
        ],
      },
    };
    await t.ingest(run("r"), batch);
    await t.ingest(run("r"), batch);
    expect((await kinds(t, "")).keys[0]?.kinds[0]?.count).toBe(2);
  });
});

describe("media routes refuse bad parameters with a 400 naming the field", () => {
  const cases: Array<[string, string, string]> = [
    ["media", "runs=a&step=1", "query.key"],
    ["media", "key=k&step=1", "query.runs"],
    ["media", "key=k&runs=a&step=abc", "query.step"],
    ["media", "key=k&runs=a&step=-1", "query.step"],
    ["media", "key=k&runs=a&step=99999999999999999", "query.step"],
    ["media", "key=k&runs=a&step=1&minStep=0", "query.step"],
    ["media", "key=k&runs=a&minStep=9&maxStep=3", "query.minStep"],
    ["media", "key=k&runs=a&step=1&match=closest", "query.match"],
    ["media", "key=k&runs=a&limit=0", "query.limit"],
    ["media", "key=k&runs=a%2Fb", "query.runs"],
    ["media", "key=k&runs=a&colour=red", "query"],
    ["steps", "key=k", "query.runs"],
    ["kinds", "runs=", "query.runs"],
    ["kinds", "since=3", "query"],
    ["kinds", `runs=${Array.from({ length: 1001 }, (_, i) => `r${i}`).join(",")}`, "query.runs"],
    ["media", `key=k&runs=${Array.from({ length: 201 }, (_, i) => `r${i}`).join(",")}`, "query.runs"],
  ];
  test.each(cases)("%s ?%s → %s", async (route, query, field) => {
    await using t = await startTestServer();
    const path =
      route === "media"
        ? mediaPaths.media(project.entity, project.project)
        : route === "steps"
          ? mediaPaths.mediaSteps(project.entity, project.project)
          : mediaPaths.keyKinds(project.entity, project.project);
    const response = await t.fetch(`${path}?${query}`);
    expect(response.status).toBe(400);
    const body = errorBodySchema.parse(await response.json());
    expect(body.error.code).toBe("INVALID_DATA");
    expect(body.error.message).toContain(field);
  });
});
