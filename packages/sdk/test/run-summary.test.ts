/** run.summary and defineMetric through a real run, and what reaches the disk. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { getRun, readOfflineRun } from "../src/index.js";
import { RunLogReader } from "../src/runlog/run-log-reader.js";
import { resolveRunLog } from "../src/runlog/run-directory.js";
import { SummaryEngine } from "../src/summary/summary-engine.js";
import { offlineRun } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
afterEach(async () => {
  await getRun()?.finish();
});

describe("run.summary", () => {
  it("supports get/set/update/delete and property access; a later log overwrites an explicit value", async () => {
    const run = await offlineRun(tempDir());
    run.log({ acc: 0.5, loss: 1 });
    run.summary["best"] = 0.9;
    run.summary.update({ note: "x", nan: Number.NaN });
    expect(run.summary["best"]).toBe(0.9);
    expect(run.summary.get("nan")).toBeUndefined();
    run.summary.set("acc", 0.99);
    expect(run.summary["acc"]).toBe(0.99);
    run.log({ acc: 0.6 });
    expect(run.summary["acc"]).toBe(0.6);
    delete run.summary["note"];
    run.summary.delete("loss");
    expect(Object.keys(run.summary).sort()).toEqual(["_runtime", "_step", "_timestamp", "acc", "best"]);
    await run.finish();
  });

  it("writes the summary to files/summary.json, and a replay of the log gives the same summary", async () => {
    const run = await offlineRun(tempDir());
    run.defineMetric("val/loss", { summary: "min,mean,last" });
    run.defineMetric("acc", { summary: "best", goal: "maximize" });
    run.defineMetric("train/*", { summary: "max" });
    for (let i = 1; i <= 5; i++) run.log({ "val/loss": 1 / i, acc: i % 3, "train/x": i, nested: { y: i } });
    run.log({ "val/loss": Number.NaN });
    run.summary["manual"] = 7;
    await run.finish();

    const onDisk = parseExtended(readFileSync(join(run.dir, "files", "summary.json"), "utf8"));
    expect(onDisk).toMatchObject({
      "val/loss": { min: Number.NaN, mean: Number.NaN, last: Number.NaN },
      acc: { best: 2 },
      "train/x": { max: 5 },
      nested: { y: 5 },
      manual: 7,
    });
    expect(readOfflineRun(run.dir).summary).toEqual(onDisk);

    // Replay without the final snapshot, as for a crashed run: same summary.
    const replay = new SummaryEngine({ onMetric: () => undefined, onWarning: () => undefined });
    for (const { record } of new RunLogReader(resolveRunLog(run.dir).logFile).records()) {
      if (record.t === "metric") replay.applyMetricRecord(record);
      if (record.t === "history") replay.observeRow(record.row);
      if (record.t === "summary")
        for (const op of record.ops) if (op.op === "set") replay.set(op.path, op.value);
    }
    expect(replay.toJSON()).toEqual(onDisk);
    expect(readOfflineRun(run.dir).metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(["val/loss", "acc", "train/*", "train/x"]),
    );
  });

  it("stepSync fills in the step metric for rows that lack it", async () => {
    const run = await offlineRun(tempDir());
    run.defineMetric("val", { summary: "min", stepMetric: "mystep" });
    run.log({ val: 2, mystep: 1 });
    run.log({ mystep: 3 });
    run.log({ val: 8 });
    await run.finish();
    const rows = [...new RunLogReader(resolveRunLog(run.dir).logFile).records()].flatMap((e) =>
      e.record.t === "history" ? [e.record.row] : [],
    );
    expect(rows[2]).toMatchObject({ val: 8, mystep: 3 });
    expect(run.summary["val"]).toEqual({ min: 2 });
  });
});
