/**
 * `POST /series` with `Accept: application/vnd.stepwise.series+f64` answers the JSON response's
 * content as float64 columns; `POST /series/keys` lists what can be charted.
 */
import { expect, it } from "vitest";
import {
  apiPaths,
  decodeSeriesF64,
  SERIES_F64_CONTENT_TYPE,
  seriesKeysResponseSchema,
  seriesResponseSchema,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";

it("answers float64 columns equal to the JSON answer, downsampled and exact", async () => {
  await using t = await startTestServer();
  const runs: RunRef[] = ["a", "b"].map((runId) => ({ entity: "e", project: "p", runId }));
  for (const [i, ref] of runs.entries()) {
    const rows = Array.from({ length: 5000 }, (_, step) => ({
      _step: step,
      loss: step === 1234 ? Number.NaN : Math.sin(step / (10 + i)),
    }));
    expect((await t.ingest(ref, { history: { offset: 0, rows } })).status).toBe(200);
  }
  for (const buckets of [100, 10_000]) {
    const query = { runs, keys: ["loss"], buckets };
    const json = seriesResponseSchema.parse(await (await t.send("POST", apiPaths.series(), query)).json());
    const response = await t.fetch(apiPaths.series(), {
      method: "POST",
      headers: { "content-type": "application/json", accept: SERIES_F64_CONTENT_TYPE },
      body: JSON.stringify(query),
    });
    expect(response.headers.get("content-type")).toBe(SERIES_F64_CONTENT_TYPE);
    expect(decodeSeriesF64(await response.arrayBuffer())).toEqual(json.series);
    expect(json.series[0]?.exact).toBe(buckets === 10_000);
  }
});

it("lists the series keys of runs: logged numeric keys only, not summary-only ones", async () => {
  await using t = await startTestServer();
  const ref: RunRef = { entity: "e", project: "p", runId: "k" };
  const rows = [{ _step: 0, "train/loss": 1, nested: { acc: 0.5 }, label: "x" }];
  expect((await t.ingest(ref, { history: { offset: 0, rows }, summary: { best: 3 } })).status).toBe(200);
  const response = await t.send("POST", apiPaths.seriesKeys(), { runs: [ref, { ...ref, runId: "unknown" }] });
  expect(seriesKeysResponseSchema.parse(await response.json())).toEqual({
    keys: ["nested.acc", "train/loss"],
    nextCursor: null,
  });
  expect((await t.send("POST", apiPaths.seriesKeys(), { runs: [] })).status).toBe(400);
});

it("pages and searches the series keys: limit, then cursor = nextCursor; a bad limit is a 400 naming it", async () => {
  await using t = await startTestServer();
  const ref: RunRef = { entity: "e", project: "p", runId: "many" };
  const keys = Array.from({ length: 2500 }, (_, i) => `block${Math.floor(i / 100)}/m${i % 100}`);
  const row = { _step: 0, ...Object.fromEntries(keys.map((k, i) => [k, i])) };
  expect((await t.ingest(ref, { history: { offset: 0, rows: [row] } })).status).toBe(200);
  const page = async (body: Record<string, unknown>) =>
    seriesKeysResponseSchema.parse(
      await (await t.send("POST", apiPaths.seriesKeys(), { runs: [ref], ...body })).json(),
    );
  const listed: string[] = [];
  let cursor: string | null = null;
  do {
    const answer = await page({ limit: 1000, ...(cursor === null ? {} : { cursor }) });
    expect(answer.keys.length).toBeLessThanOrEqual(1000);
    listed.push(...answer.keys);
    cursor = answer.nextCursor;
  } while (cursor !== null);
  expect(listed).toEqual([...keys].sort());
  expect(await page({ search: "BLOCK24/M9", limit: 5 })).toEqual({
    keys: ["block24/m9", "block24/m90", "block24/m91", "block24/m92", "block24/m93"],
    nextCursor: "block24/m93",
  });
  const tooMany = await t.send("POST", apiPaths.seriesKeys(), { runs: [ref], limit: 10_001 });
  expect(tooMany.status).toBe(400);
  expect(await tooMany.text()).toContain("limit");
});
