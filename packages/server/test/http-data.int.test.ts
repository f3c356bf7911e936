/** Series, history export (NDJSON, CSV, Parquet) and run files through a real server. */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  fileListResponseSchema,
  parseExtended,
  seriesResponseSchema,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, rawRequest, startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

describe("series", () => {
  test("downsamples many runs × keys within the point budget, non-finite as null", async () => {
    await using t = await startTestServer();
    const other = { ...ref, runId: "run-2" };
    await t.ingest(ref, historyBatch(0, 1000));
    await t.ingest(other, {
      history: {
        offset: 0,
        rows: [
          { _step: 0, loss: Number.NaN },
          { _step: 1, loss: 2 },
        ],
      },
    });
    const response = await t.send("POST", apiPaths.series(), {
      runs: [ref, other],
      keys: ["loss"],
      buckets: 50,
    });
    expect(response.status).toBe(200);
    const { series } = seriesResponseSchema.parse(await response.json());
    const [big, small] = series;
    expect(big).toMatchObject({ key: "loss", count: 1000 });
    expect(big?.x.length).toBeLessThanOrEqual(50);
    expect(Math.max(...(big?.max ?? []).map((v) => v ?? 0))).toBe(1);
    expect(small?.count).toBe(2);
    expect(small?.last).toContain(null);
  });

  test("an x range and another x axis", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 100));
    const body = { runs: [ref], keys: ["loss"], xAxis: "_runtime", xMin: 1, xMax: 2, buckets: 1000 };
    const { series } = seriesResponseSchema.parse(
      await (await t.send("POST", apiPaths.series(), body)).json(),
    );
    expect(series[0]?.x).toEqual(Array.from({ length: 11 }, (_, i) => (10 + i) / 10));
  });

  test("unknown runs are 404; a bad budget is a 400 naming it", async () => {
    await using t = await startTestServer();
    const unknown = await t.send("POST", apiPaths.series(), { runs: [ref], keys: ["loss"] });
    expect(unknown.status).toBe(404);
    await t.ingest(ref, historyBatch(0, 1));
    const bad = await t.send("POST", apiPaths.series(), { runs: [ref], keys: ["loss"], buckets: 1e9 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("body.buckets");
  });
});

describe("history export", () => {
  test("NDJSON is every stored row verbatim, with keys and step range", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 2500));
    const all = (await (await t.fetch(apiPaths.history(ref))).text()).trim().split("\n");
    expect(all).toHaveLength(2500);
    expect(parseExtended(all[7] ?? "")).toMatchObject({ _step: 7, train: { acc: 0.007 } });
    const some = await t.fetch(`${apiPaths.history(ref)}?keys=loss&minStep=10&maxStep=19`);
    expect(some.headers.get("content-type")).toContain("ndjson");
    const rows = (await some.text())
      .trim()
      .split("\n")
      .map((line) => parseExtended(line) as Record<string, unknown>);
    expect(rows.map((row) => row["_step"])).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
    expect(rows.every((row) => !("train" in row))).toBe(true);
  });

  test("CSV flattens nested keys to dotted columns, a column for every key of any row", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, {
      history: {
        offset: 0,
        rows: [
          { _step: 0, _runtime: 0.5, a: 1 },
          { _step: 1, b: { c: "x,y" }, a: Number.NaN },
        ],
      },
    });
    const csv = await (await t.fetch(`${apiPaths.history(ref)}?format=csv`)).text();
    expect(csv).toBe('_step,a,b.c,_runtime\n0,1,,0.5\n1,NaN,"x,y",\n');
  });

  test("Parquet is a Parquet file", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 10));
    const response = await t.fetch(`${apiPaths.history(ref)}?format=parquet`);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe("PAR1");
    expect(bytes.subarray(-4).toString()).toBe("PAR1");
  });

  test("Parquet streams row group by row group and reads back every row", async () => {
    await using t = await startTestServer();
    const rows = 250_001; // six row groups of ≤ 50,000
    for (let offset = 0; offset < rows; offset += 50_000)
      await t.ingest(ref, historyBatch(offset, Math.min(50_000, rows - offset)));
    const response = await t.fetch(`${apiPaths.history(ref)}?format=parquet`);
    const buffer = await response.arrayBuffer();
    const metadata = parquetMetadata(buffer);
    expect(metadata.row_groups.length).toBe(6);
    const read = await parquetReadObjects({ file: buffer, columns: ["_step", "loss", "train.acc"] });
    expect(read.length).toBe(rows);
    expect(read[0]).toEqual({ _step: 0, loss: 1, "train.acc": 0 });
    expect(read[rows - 1]).toEqual({ _step: rows - 1, loss: 1 / rows, "train.acc": (rows - 1) / 1000 });
  });

  test("an unknown format or step is a 400; an unknown run a 404", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    expect((await t.fetch(`${apiPaths.history(ref)}?format=xlsx`)).status).toBe(400);
    expect((await t.fetch(`${apiPaths.history(ref)}?minStep=1.5`)).status).toBe(400);
    expect((await t.fetch(apiPaths.history({ ...ref, runId: "nope" }))).status).toBe(404);
  });
});

describe("files", () => {
  test("upload, list and download a run file", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const put = await t.fetch(apiPaths.file(ref, "media/images/a b.png"), {
      method: "PUT",
      headers: { "content-type": "image/png" },
      body: Buffer.from([1, 2, 3]),
    });
    expect(put.status).toBe(201);
    const { files } = fileListResponseSchema.parse(await (await t.fetch(apiPaths.files(ref))).json());
    expect(files).toEqual([
      expect.objectContaining({ path: "media/images/a b.png", size: 3, contentType: "image/png" }),
    ]);
    const download = await t.fetch(apiPaths.file(ref, "media/images/a b.png"));
    expect(download.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await download.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  test("path traversal and unknown files are refused", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const base = apiPaths.files(ref);
    for (const path of [
      `${base}/..%2F..%2Fadmin-key`,
      `${base}/a/%2E%2E/%2E%2E/x`,
      `${base}/a%5Cb`,
      `${base}/%00`,
    ]) {
      const response = await rawRequest(t.url, { method: "PUT", path, body: "x" });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    const traversal = await rawRequest(t.url, { method: "PUT", path: `${base}/..%2Fescape`, body: "x" });
    expect(traversal.status).toBe(400);
    expect(traversal.body).toContain("path.file");
    expect((await t.fetch(apiPaths.file(ref, "missing.txt"))).status).toBe(404);
  });
});
