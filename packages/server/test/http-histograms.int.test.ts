/**
 * Histograms over 10,000 steps through a real server, compared with the counts the test logged:
 * the whole range merged into 1,000 columns (each the mean of 10 histograms), a zoomed range
 * exact with the logged bins, uneven edges kept, another key as x, and bad input as 4xx.
 */
import { beforeAll, afterAll, describe, expect, test } from "vitest";
import {
  histogramHeatmapSchema,
  histogramKeysResponseSchema,
  structuredPaths,
  type HistogramHeatmap,
  type HistogramQueryInput,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { errorOf } from "./support/file-uploads.js";
import { histogramValue, ingestRows, random } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "hist", runId: "h" };
const STEPS = 10_000;
const BINS = 64;
const EDGES = Array.from({ length: BINS + 1 }, (_, i) => i / 4); // 0 … 16, even
const UNEVEN = [0, 1, 3, 7, 15];

let t: TestServer;
const counts: number[][] = [];

beforeAll(async () => {
  t = await startTestServer();
  const next = random(5);
  for (let s = 0; s < STEPS; s++) counts.push(Array.from({ length: BINS }, () => Math.floor(next() * 100)));
  for (let from = 0; from < STEPS; from += 1000) {
    const rows = [];
    for (let s = from; s < from + 1000; s++)
      rows.push({
        _step: s,
        epoch: s / 100,
        weights: histogramValue(counts[s] as number[], EDGES),
        ...(s % 1000 === 0 ? { uneven: histogramValue([1, 2.5, 3, 4], UNEVEN) } : {}),
      });
    await ingestRows(t, ref, from, rows);
  }
}, 120_000);

afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

async function heatmap(query: HistogramQueryInput): Promise<HistogramHeatmap> {
  const response = await t.send("POST", structuredPaths.histograms(ref), query);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status}: ${text}`);
  return histogramHeatmapSchema.parse(JSON.parse(text));
}

describe("histograms over 10,000 steps", () => {
  test("lists the histogram keys with counts and step ranges", async () => {
    const response = await t.fetch(structuredPaths.histogramKeys(ref));
    expect(histogramKeysResponseSchema.parse(await response.json()).keys).toEqual([
      { key: "uneven", count: 10, firstStep: 0, lastStep: 9000 },
      { key: "weights", count: STEPS, firstStep: 0, lastStep: STEPS - 1 },
    ]);
  });

  test("the whole range in 1,000 columns: each the mean of 10 consecutive histograms", async () => {
    const map = await heatmap({ key: "weights" });
    expect([map.exact, map.count, map.counts.length, map.histograms]).toEqual([
      false,
      STEPS,
      1000,
      undefined,
    ]);
    expect(map.yEdges).toEqual(EDGES);
    for (const column of [0, 1, 517, 999]) {
      expect(map.merged[column]).toBe(10);
      expect([map.stepMin[column], map.stepMax[column]]).toEqual([column * 10, column * 10 + 9]);
      const mean = Array.from({ length: BINS }, (_, b) => {
        let sum = 0;
        for (let s = column * 10; s < column * 10 + 10; s++) sum += (counts[s] as number[])[b] as number;
        return sum / 10;
      });
      (map.counts[column] as number[]).forEach((c, b) => expect(c).toBeCloseTo(mean[b] as number, 9));
    }
  });

  test("zoomed in: exact, one column per step, the logged bins", async () => {
    const map = await heatmap({ key: "weights", xMin: 4200, xMax: 4299, columns: 500 });
    expect([map.exact, map.count, map.x.length]).toEqual([true, 100, 100]);
    expect(map.x).toEqual(Array.from({ length: 100 }, (_, i) => 4200 + i));
    expect(map.counts).toEqual(counts.slice(4200, 4300));
    expect(map.histograms?.[7]).toEqual({ step: 4207, x: 4207, edges: EDGES, counts: counts[4207] });
  });

  test("uneven edges are kept and spread onto the grid in proportion", async () => {
    const map = await heatmap({ key: "uneven", rows: 15 });
    expect(map.histograms?.[0]?.edges).toEqual(UNEVEN);
    expect(map.yEdges).toEqual(Array.from({ length: 16 }, (_, i) => i));
    // Bin [1, 3) holds 2.5: 1.25 in each of rows [1, 2) and [2, 3); bin [7, 15) holds 4: 0.5 a row.
    expect(map.counts[0]).toEqual([
      1, 1.25, 1.25, 0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
    ]);
  });

  test("another key as x: each histogram at the value logged with it", async () => {
    const map = await heatmap({ key: "weights", xAxis: "epoch", xMin: 10, xMax: 10.05 });
    expect(map.x).toEqual([10, 10.01, 10.02, 10.03, 10.04, 10.05]);
    expect(map.counts[0]).toEqual(counts[1000]);
  });

  test("bad input is a 4xx naming the field", async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ key: "nope" }, 404, 'no histograms under "nope"'],
      [{ key: "weights", columns: 0 }, 400, "body.columns"],
      [{ key: "weights", rows: 513 }, 400, "body.rows"],
      [{ key: "weights", xMin: 5, xMax: 1 }, 400, "body.xMin"],
      [{ key: "weights", xAxis: "nothing" }, 400, "xAxis: run"],
      [{}, 400, "body.key"],
    ];
    for (const [body, status, text] of cases) {
      const response = await t.send("POST", structuredPaths.histograms(ref), body);
      expect([response.status, (await errorOf(response)).message]).toEqual([
        status,
        expect.stringContaining(text),
      ]);
    }
    const unknown = await t.send("POST", structuredPaths.histograms({ ...ref, runId: "nobody" }), {
      key: "weights",
    });
    expect(unknown.status).toBe(404);
  });
});
