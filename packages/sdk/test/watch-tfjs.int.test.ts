/**
 * `run.watch` with a tiny TensorFlow.js model trained for a few batches (pure-JS CPU backend):
 * parameter histograms in the logged rows match the model's weights at that batch (count, min,
 * max read by the test from the model itself), batch/epoch metrics from `stepwise.tfjs.callback`,
 * gradient histograms from a custom loop, and the histograms on a real server.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { structuredPaths, type HistogramKeysResponse } from "@stepwise/protocol";
import { loadConfig, startServer } from "@stepwise/server";
import { init, iterateHistory, UsageError, tfjs, type Run } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

interface LoggedHistogram {
  _type: "histogram";
  values: number[];
  bins: number[];
}

function tinyModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [3], activation: "relu", name: "hidden" }));
  model.add(tf.layers.dropout({ rate: 0.1, name: "drop" }));
  model.add(tf.layers.dense({ units: 1, name: "out" }));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
  return model;
}

function data(): { x: tf.Tensor; y: tf.Tensor } {
  const xs = Array.from({ length: 32 }, (_, i) => [i / 32, Math.sin(i), Math.cos(i)]);
  return { x: tf.tensor2d(xs), y: tf.tensor2d(xs.map(([a, b]) => [2 * a! - b!])) };
}

/** The weights of a layer as the test reads them (count, min, max), after each batch. */
function observeWeights(
  model: tf.Sequential,
  seen: Array<Record<string, [number, number, number]>>,
): tf.CustomCallbackArgs {
  return {
    onBatchEnd: () => {
      const row: Record<string, [number, number, number]> = {};
      for (const layer of model.layers) {
        const values = layer.getWeights().flatMap((w) => Array.from(w.dataSync()));
        if (values.length > 0) row[layer.name] = [values.length, Math.min(...values), Math.max(...values)];
      }
      seen.push(row);
    },
  };
}

describe("run.watch with TensorFlow.js", () => {
  it("logs each layer's parameter histograms every logFreq batches, and batch/epoch metrics", async () => {
    const run = await init({ dir: tempDir(), mode: "offline", project: "watch", settings: { silent: true } });
    const model = tinyModel();
    run.watch(model, { log: "parameters", logFreq: 2 });
    const seen: Array<Record<string, [number, number, number]>> = [];
    const { x, y } = data();
    // 32 samples in batches of 8 for 2 epochs: 8 batches, histograms after batches 2, 4, 6, 8.
    await model.fit(x, y, {
      batchSize: 8,
      epochs: 2,
      shuffle: false,
      callbacks: [tfjs.callback(run), observeWeights(model, seen)],
    });
    await run.finish();
    const rows = [...iterateHistory(run.dir)];
    const batchRows = rows.filter((r) => r["batch/batch_step"] !== undefined);
    expect(batchRows.map((r) => r["batch/batch_step"])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const row of batchRows) expect(row["batch/loss"]).toEqual(expect.any(Number));
    const withHistograms = batchRows.filter((r) => r["parameters/hidden"] !== undefined);
    expect(withHistograms.map((r) => r["batch/batch_step"])).toEqual([1, 3, 5, 7]);
    for (const row of withHistograms) {
      const batch = row["batch/batch_step"] as number;
      expect(
        Object.keys(row)
          .filter((k) => k.startsWith("parameters/"))
          .sort(),
      ).toEqual(["parameters/hidden", "parameters/out"]);
      for (const layer of ["hidden", "out"]) {
        const logged = row[`parameters/${layer}`] as LoggedHistogram;
        const [count, min, max] = seen[batch]![layer]!;
        expect(logged._type).toBe("histogram");
        expect(logged.values.reduce((a, b) => a + b, 0)).toBe(count);
        expect(logged.bins[0]).toBeCloseTo(min, 6);
        expect(logged.bins.at(-1)).toBeCloseTo(max, 6);
      }
    }
    // hidden: 3×4 kernel + 4 bias; out: 4×1 + 1.
    expect(seen[1]!["hidden"]![0]).toBe(16);
    expect(seen[1]!["out"]![0]).toBe(5);
    const epochRows = rows.filter((r) => r["epoch/epoch"] !== undefined);
    expect(epochRows.map((r) => r["epoch/epoch"])).toEqual([0, 1]);
    for (const row of epochRows) expect(row["epoch/loss"]).toEqual(expect.any(Number));
  }, 60_000);

  it("logs gradient histograms from a custom loop, and nothing after unwatch", async () => {
    const run = await init({ dir: tempDir(), mode: "offline", project: "watch", settings: { silent: true } });
    const model = tinyModel();
    run.watch(model, { log: "all", logFreq: 1 });
    const { x, y } = data();
    const optimizer = tf.train.sgd(0.05);
    const expected: Array<Record<string, number>> = [];
    for (let step = 0; step < 3; step++) {
      const { value, grads } = tf.variableGrads(() =>
        tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(y, model.predict(x) as tf.Tensor),
      );
      const counts: Record<string, number> = {};
      for (const [name, g] of Object.entries(grads))
        counts[name.split("/")[0]!] = (counts[name.split("/")[0]!] ?? 0) + g.size;
      expected.push(counts);
      tfjs.logGradients(grads, run);
      optimizer.applyGradients(grads);
      run.log({ loss: value.dataSync()[0] });
    }
    run.unwatch(model);
    tfjs.logGradients({}, run);
    run.log({ loss: 0 });
    await run.finish();
    const rows = [...iterateHistory(run.dir)];
    expect(rows).toHaveLength(4);
    rows.slice(0, 3).forEach((row, step) => {
      for (const layer of ["hidden", "out"]) {
        const grad = row[`gradients/${layer}`] as LoggedHistogram;
        expect(grad.values.reduce((a, b) => a + b, 0)).toBe(expected[step]![layer]);
        expect(row[`parameters/${layer}`]).toMatchObject({ _type: "histogram" });
      }
      expect(row["gradients/drop"]).toBeUndefined();
    });
    expect(Object.keys(rows[3]!).filter((k) => k.includes("/"))).toEqual([]);
  }, 60_000);

  it("works after a TF.js BaseCallback (earlyStopping) and sends the histograms to a real server", async () => {
    const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: tempDir() }), {
      log: () => undefined,
    });
    try {
      const run: Run = await init({
        dir: tempDir(),
        baseUrl: server.url,
        project: "watch",
        settings: { silent: true },
      });
      const model = tinyModel();
      run.watch(model, { log: "parameters", logFreq: 1 });
      const { x, y } = data();
      await model.fit(x, y, {
        batchSize: 16,
        epochs: 2,
        callbacks: [tf.callbacks.earlyStopping({ monitor: "loss", patience: 5 }), tfjs.callback()],
      });
      await run.finish();
      const response = await fetch(
        server.url + structuredPaths.histogramKeys({ entity: run.entity, project: "watch", runId: run.id }),
      );
      expect(response.status, await response.clone().text()).toBe(200);
      const { keys } = (await response.json()) as HistogramKeysResponse;
      expect(keys.map((k) => [k.key, k.count]).sort()).toEqual([
        ["parameters/hidden", 4],
        ["parameters/out", 4],
      ]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("refuses something that is not a model with a UsageError saying what a model is", async () => {
    const run = await init({ dir: tempDir(), mode: "offline", project: "watch", settings: { silent: true } });
    for (const notModel of [null, 3, "model", [], {}, { layers: [] }, { layers: [{}], getWeights: () => [] }])
      expect(() => run.watch(notModel)).toThrow(UsageError);
    expect(() => run.watch({ layers: 1 })).toThrow(
      /takes a TensorFlow.js LayersModel .*got an object without layers/,
    );
    expect(() => run.watch(tinyModel(), { log: "weights" as "all" })).toThrow(
      /log must be one of gradients, parameters, all/,
    );
    expect(() => run.watch(tinyModel(), { logFreq: 0 })).toThrow(/logFreq must be a whole number/);
    await run.finish();
  });
});
