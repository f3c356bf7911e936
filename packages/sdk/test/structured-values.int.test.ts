/**
 * Histograms, tables and plot.* charts end to end against a real server process: the server's
 * history rows hold W&B's JSON for each value at its step, the table files it serves hold the
 * columns and rows that were logged (byte for byte the sha256 the row names), and each chart's
 * config entry `_wandb.visualize.<key>` names its preset, bindings and table key.
 */
import { describe, expect, it } from "vitest";
import { decode } from "fast-png";
import { parquetReadObjects } from "hyparquet";
import { parseExtended, stringifyExtended, structuredPaths } from "@stepwise/protocol";
import { Histogram, Image, Table, init, plot, plotTable, type Run } from "../src/index.js";
import { fetchHistory, fetchRun, useServerForFile } from "./support/server-process.js";
import { serverFileBytes, sha256Of } from "./support/server-files.js";

const { server, tempDir } = useServerForFile();

async function startRun(project: string): Promise<Run> {
  return init({ dir: tempDir(), baseUrl: server.url, project, settings: { silent: true } });
}

interface TableFile {
  _type: string;
  sha256: string;
  size: number;
  path: string;
  ncols: number;
  nrows: number;
  log_mode: string;
}

/** The table file a history value names, as the server serves it, checked against the value. */
async function tableOnServer(run: Run, value: unknown): Promise<{ columns: unknown[]; data: unknown[][] }> {
  const file = value as TableFile;
  const bytes = await serverFileBytes(server.url, run, file.path);
  expect(sha256Of(bytes)).toBe(file.sha256);
  expect(bytes.length).toBe(file.size);
  return parseExtended(bytes.toString("utf8")) as { columns: unknown[]; data: unknown[][] };
}

/** POST a structured query (the web UI's route) and parse the answer. */
async function structuredQuery(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stringifyExtended(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${text}`);
  return parseExtended(text) as Record<string, unknown>;
}

/** Retries `ask` for up to 10 s (the server stores a table once its file has arrived). */
async function untilAnswered<T>(ask: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function refOf(run: Run): { entity: string; project: string; runId: string } {
  return { entity: run.entity, project: run.project, runId: run.id };
}

describe("structured values on a real server", () => {
  it("a histogram logged at every step is in each history row as logged; one in the summary too", async () => {
    const run = await startRun("hist");
    const logged: unknown[] = [];
    for (let step = 0; step < 5; step++) {
      const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37 + step) * (step + 1));
      const histogram = new Histogram(values, { numBins: 16 });
      logged.push(histogram.toJSON());
      run.log({ weights: histogram, loss: 1 / (step + 1) });
    }
    run.log({ uneven: Histogram.fromCounts([3, 0, 7], [0, 0.5, 4, 100]) });
    run.summary["final"] = new Histogram([NaN, 1, 2, 2, 3], { numBins: 2 });
    await run.finish();
    // The server's heatmap query (the UI's histogram panel), exact: each step's bins as logged.
    const heatmap = await structuredQuery(structuredPaths.histograms(refOf(run)), {
      key: "weights",
      columns: 100,
    });
    expect(heatmap["exact"]).toBe(true);
    expect(heatmap["histograms"]).toEqual(
      logged.map((h, step) => ({
        step,
        x: step,
        edges: (h as { bins: number[] }).bins,
        counts: (h as { values: number[] }).values,
      })),
    );
    const rows = await fetchHistory(server.url, run);
    expect(rows.slice(0, 5).map((row) => row["weights"])).toEqual(logged);
    expect(rows.slice(0, 5).map((row) => row["_step"])).toEqual([0, 1, 2, 3, 4]);
    expect((logged[0] as { values: number[] }).values).toHaveLength(16);
    expect(rows[5]?.["uneven"]).toEqual({ _type: "histogram", values: [3, 0, 7], bins: [0, 0.5, 4, 100] });
    const summary = (await fetchRun(server.url, run))?.["summary"] as Record<string, unknown>;
    expect(summary["final"]).toEqual({
      _type: "histogram",
      values: [1, 3],
      bins: [1, 2, 3],
      dropped: { nan: 1, posInf: 0, negInf: 0 },
    });
  });

  it("a table's history value is W&B's table-file and its file holds exactly the logged columns and rows", async () => {
    const run = await startRun("table");
    const columns = ["id", "score", "ok", "meta", "missing"];
    const rows = [
      ["a", Infinity, true, { tags: ["x"], n: 1 }, null],
      ["b", NaN, false, [1, 2], null],
      ["c", -Infinity, null, null, null],
    ];
    run.log({ loss: 1 });
    run.log({ samples: new Table({ columns, data: rows }) });
    const big = new Table({ columns: ["i", "sq"] });
    for (let i = 0; i < 20_000; i++) big.addData(i, i * i);
    run.summary["all"] = big;
    await run.finish();
    const history = await fetchHistory(server.url, run);
    const value = history[1]?.["samples"] as TableFile;
    expect(value).toEqual({
      _type: "table-file",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      size: expect.any(Number) as unknown,
      path: `media/table/samples_1_${value.sha256.slice(0, 20)}.table.json`,
      ncols: 5,
      nrows: 3,
      log_mode: "IMMUTABLE",
    });
    expect(Object.keys(value)).toEqual(["_type", "sha256", "size", "path", "ncols", "nrows", "log_mode"]);
    const stored = await tableOnServer(run, value);
    expect(stored.columns).toEqual(columns);
    expect(stored.data).toEqual(rows);
    const page = await untilAnswered(() =>
      structuredQuery(structuredPaths.tableQuery(refOf(run)), { key: "samples" }),
    );
    // Every cell as logged, NaN and ±Infinity included (SQLite keeps no NaN: a sidecar does).
    const served = (page["rows"] as Array<{ cells: unknown[] }>).map((r) => r.cells);
    expect(served).toEqual(rows);
    // The exports hold them too: CSV spells them as history CSV does, Parquet as DOUBLEs.
    const exportUrl = (format: string): string =>
      `${server.url}${structuredPaths.tableExport(refOf(run))}?key=samples&format=${format}&columns=id&columns=score`;
    const csv = await (await fetch(exportUrl("csv"))).text();
    expect(csv).toBe("id,score\na,Infinity\nb,NaN\nc,-Infinity\n");
    const file = await (await fetch(exportUrl("parquet"))).arrayBuffer();
    expect(await parquetReadObjects({ file })).toEqual(rows.map(([id, score]) => ({ id, score })));
    expect((page["schema"] as Array<{ type: string }>).map((c) => c.type)).toEqual([
      "string",
      "number",
      "boolean",
      "json",
      "null",
    ]);
    const summary = (await fetchRun(server.url, run))?.["summary"] as Record<string, unknown>;
    const all = summary["all"] as TableFile;
    expect(all.path).toMatch(/^media\/table\/all_summary_[0-9a-f]{20}\.table\.json$/);
    expect(all.nrows).toBe(20_000);
    const allStored = await tableOnServer(run, all);
    expect(allStored.data).toHaveLength(20_000);
    expect(allStored.data[19_999]).toEqual([19_999, 19_999 * 19_999]);
  });

  it("a table with image cells: each cell holds W&B's image-file JSON naming a run file with the logged pixels", async () => {
    const run = await startRun("table-media");
    const pixels = [
      [0, 128, 255],
      [255, 128, 0],
    ];
    const table = new Table({ columns: ["id", "image"] });
    table.addData("first", new Image(pixels, { caption: "a" }));
    table.addData("none", null);
    table.addData("second", new Image(pixels.map((line) => line.map((v) => 255 - v))));
    run.log({ samples: table });
    await run.finish();
    const [row] = await fetchHistory(server.url, run);
    const value = row?.["samples"] as TableFile;
    expect(value).toMatchObject({ _type: "table-file", ncols: 2, nrows: 3 });
    expect(value.path).toBe(`media/table/samples_0_${value.sha256.slice(0, 20)}.table.json`);
    const stored = await tableOnServer(run, value);
    expect(stored.columns).toEqual(["id", "image"]);
    expect(stored.data.map((cells) => cells[0])).toEqual(["first", "none", "second"]);
    expect(stored.data[1]?.[1]).toBeNull();
    const second = pixels.map((line) => line.map((v) => 255 - v));
    for (const [r, caption, expected] of [
      [0, "a", pixels],
      [2, undefined, second],
    ] as const) {
      const cell = stored.data[r]?.[1] as Record<string, unknown>;
      expect(cell).toMatchObject({ _type: "image-file", format: "png", width: 3, height: 2 });
      expect(cell["caption"]).toBe(caption);
      expect(cell["path"]).toBe(`media/images/samples_0_${String(cell["sha256"]).slice(0, 20)}.png`);
      const png = await serverFileBytes(server.url, run, String(cell["path"]));
      expect(sha256Of(png)).toBe(cell["sha256"]);
      expect(png.length).toBe(cell["size"]);
      const decoded = decode(png);
      expect([decoded.width, decoded.height, decoded.channels]).toEqual([3, 2, 1]);
      expect(Array.from(decoded.data)).toEqual(expected.flat());
    }
    // The server's table query (what the UI pages through) reads the same table back, typed.
    const page = await untilAnswered(() =>
      structuredQuery(structuredPaths.tableQuery(refOf(run)), { key: "samples" }),
    );
    expect(page["schema"]).toEqual([
      { name: "id", type: "string" },
      { name: "image", type: "media", mediaType: "image-file" },
    ]);
    expect((page["rows"] as Array<{ cells: unknown[] }>).map((r) => r.cells)).toEqual(stored.data);
    expect((stored.data[0]?.[1] as { sha256: string }).sha256).not.toBe(
      (stored.data[2]?.[1] as { sha256: string }).sha256,
    );
  });

  it("an array of more than 32 numbers in the summary is a .npy run file holding it whole, and its statistics", async () => {
    const run = await startRun("tensor");
    const weights = Float32Array.from({ length: 1000 }, (_, i) => (i % 100) / 8);
    run.summary["weights"] = weights;
    run.summary.update({ short: [1, 2, 3] });
    await run.finish();
    const summary = (await fetchRun(server.url, run))?.["summary"] as Record<string, Record<string, unknown>>;
    const tensor = summary["weights"] ?? {};
    expect(tensor).toMatchObject({
      _type: "tensor",
      dtype: "float32",
      shape: [1000],
      count: 1000,
      min: 0,
      max: 99 / 8,
    });
    expect(tensor["mean"]).toBeCloseTo(49.5 / 8, 10);
    expect(tensor["path"]).toBe(`media/tensors/weights_summary_${String(tensor["sha256"]).slice(0, 20)}.npy`);
    const bytes = await serverFileBytes(server.url, run, String(tensor["path"]));
    expect(sha256Of(bytes)).toBe(tensor["sha256"]);
    const dataStart = 10 + bytes.readUInt16LE(8);
    expect(new Float32Array(bytes.subarray(dataStart).buffer.slice(bytes.byteOffset + dataStart))).toEqual(
      weights,
    );
    expect(summary["short"]).toEqual([1, 2, 3]);
  });

  it("each plot preset logs its computed table under <key>_table and _wandb.visualize.<key> in the config", async () => {
    const run = await startRun("charts");
    const points = new Table({
      columns: ["epoch", "loss"],
      data: [
        [0, 2],
        [1, 1],
        [2, 0.5],
      ],
    });
    const yTrue = [0, 0, 1, 1];
    const yProbas = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.65, 0.35],
      [0.2, 0.8],
    ];
    const charts = {
      line: plot.line(points, "epoch", "loss", { title: "Loss" }),
      scatter: plot.scatter(points, "epoch", "loss"),
      bar: plot.bar(points, "epoch", "loss"),
      hist: plot.histogram(points, "loss"),
      series: plot.lineSeries(
        [0, 1],
        [
          [1, 2],
          [3, 4],
        ],
        { keys: ["a", "b"] },
      ),
      pr: plot.prCurve(yTrue, yProbas, { labels: ["neg", "pos"] }),
      roc: plot.rocCurve(yTrue, yProbas, { classesToPlot: [1] }),
      cm: plot.confusionMatrix({ yTrue, preds: [0, 1, 1, 1], classNames: ["neg", "pos"] }),
      custom: plotTable("me/points/v1", points, { x: "epoch" }, { title: "mine" }),
    };
    run.log(charts);
    run.log({ nested: { pr: charts.pr } });
    await run.finish();
    const [row, nestedRow] = await fetchHistory(server.url, run);
    const config = (await fetchRun(server.url, run))?.["config"] as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    const visualize = config["_wandb"]?.["visualize"] ?? {};
    for (const [key, chart] of Object.entries(charts)) {
      expect(row?.[key]).toBeUndefined();
      const stored = await tableOnServer(run, row?.[`${key}_table`]);
      expect(stored.columns).toEqual(chart.table.columns);
      expect(stored.data).toEqual(chart.table.data);
      expect(visualize[key]).toEqual({
        panel_type: "Vega2",
        panel_config: {
          panelDefId: chart.specName,
          fieldSettings: chart.fields,
          stringSettings: chart.stringFields,
          transform: { name: "tableWithLeafColNames" },
          userQuery: {
            queryFields: [
              {
                name: "runSets",
                args: [{ name: "runSets", value: "${runSets}" }],
                fields: [
                  { name: "id", fields: [] },
                  { name: "name", fields: [] },
                  { name: "_defaultColorIndex", fields: [] },
                  { name: "summaryTable", args: [{ name: "tableKey", value: `${key}_table` }], fields: [] },
                ],
              },
            ],
          },
        },
      });
    }
    // Values a user can read off the stored tables: the confusion counts and a PR point.
    const cm = await tableOnServer(run, row?.["cm_table"]);
    expect(cm.data).toEqual([
      ["neg", "neg", 1],
      ["neg", "pos", 1],
      ["pos", "neg", 0],
      ["pos", "pos", 2],
    ]);
    const pr = await tableOnServer(run, row?.["pr_table"]);
    expect(pr.data[0]).toEqual(["neg", 0.667, 1]);
    // The server resolves each chart to its built-in preset (the UI draws these specs).
    const response = await fetch(`${server.url}${structuredPaths.charts(refOf(run))}`);
    const resolved = (parseExtended(await response.text()) as { charts: Array<Record<string, unknown>> })
      .charts;
    for (const key of Object.keys(charts).filter((k) => k !== "custom")) {
      const chart = resolved.find((c) => c["key"] === key);
      expect(chart).toMatchObject({
        presetId: charts[key as keyof typeof charts].specName,
        tableKey: `${key}_table`,
      });
      expect(chart?.["spec"]).not.toBeNull();
      expect(chart?.["problem"]).toBeUndefined();
    }
    expect(visualize["nested.pr"]).toMatchObject({
      panel_config: { panelDefId: "stepwise/area-under-curve/v0" },
    });
    const nested = nestedRow?.["nested"] as Record<string, unknown> | undefined;
    expect((nested?.["pr_table"] as TableFile | undefined)?._type).toBe("table-file");
  });
});
