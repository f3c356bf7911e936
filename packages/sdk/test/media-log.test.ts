/**
 * Media through a real run (offline, the built media worker): the file lands in the run
 * directory with the sha256 and path its history row names, its `file` record comes before the
 * row, rows keep their order behind media still being encoded, the summary and an explicit
 * summary image hold W&B's JSON, class labels are kept once, a file deleted right after log() is
 * still logged, and a call that throws keeps nothing.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { Audio, Image, Object3D, readOfflineRun, resolveRunLog, RunLogReader } from "../src/index.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The run log's records in order, by type. */
function records(logFile: string): Array<Record<string, unknown>> {
  return [...new RunLogReader(logFile).records()].map(
    (entry) => entry.record as unknown as Record<string, unknown>,
  );
}

describe("media in a run", () => {
  it("writes each file where its row says, with that sha256, and records it before the row", async () => {
    const run = await offlineRun(tempDir());
    const pixels = new Uint8Array(16 * 8 * 3).map((_, i) => i & 255);
    run.log({ loss: 0.5, sample: new Image({ data: pixels, shape: [8, 16, 3] }, { caption: "s" }) });
    await run.finish();
    const [row] = storedRows(run.dir);
    const sample = row?.["sample"] as Record<string, unknown>;
    const bytes = readFileSync(join(run.dir, "files", String(sample["path"])));
    expect(sample).toEqual({
      _type: "image-file",
      sha256: sha256(bytes),
      size: bytes.length,
      path: `media/images/sample_0_${sha256(bytes).slice(0, 20)}.png`,
      format: "png",
      width: 16,
      height: 8,
      caption: "s",
    });
    expect(row).toMatchObject({ loss: 0.5, _step: 0 });
    const log = records(readOfflineRun(run.dir).logFile);
    const fileAt = log.findIndex((record) => record["t"] === "file" && record["path"] === sample["path"]);
    const rowAt = log.findIndex((record) => record["t"] === "history");
    expect(fileAt).toBeGreaterThan(-1);
    expect(log[fileAt]).toMatchObject({
      source: { local: join(run.dir, "files", String(sample["path"])) },
      size: bytes.length,
      sha256: sha256(bytes),
      policy: "now",
    });
    expect(fileAt).toBeLessThan(rowAt);
    // status() counts media files with the run's other files (offline: all still to send).
    const fileRecords = log.filter((record) => record["t"] === "file").length;
    expect((await run.status()).filesPending).toBe(fileRecords);
  });

  it("keeps rows in step order behind media being encoded, with every value logged", async () => {
    const run = await offlineRun(tempDir());
    const expected: Array<Record<string, unknown>> = [];
    for (let step = 0; step < 40; step++) {
      const big = step % 5 === 0;
      run.log(
        big
          ? { step, frame: new Image({ data: new Float32Array(64 * 64).fill(step / 40), shape: [64, 64] }) }
          : { step },
      );
      expected.push({ step, _step: step });
    }
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows.map(({ step, _step }) => ({ step, _step }))).toEqual(expected);
    const frames = rows
      .filter((row) => row["frame"] !== undefined)
      .map((row) => row["frame"] as { path: string });
    expect(frames).toHaveLength(8);
    for (const [i, frame] of frames.entries())
      expect(frame.path).toMatch(new RegExp(`^media/images/frame_${i * 5}_[0-9a-f]{20}\\.png$`));
  });

  it("puts the last media of a key in the summary, and an explicit summary image at <key>_summary_<sha>", async () => {
    const run = await offlineRun(tempDir());
    run.log({ clip: new Audio([0, 0.5], { sampleRate: 8 }) });
    run.log({ clip: new Audio([0.25], { sampleRate: 8 }) });
    run.summary["best"] = new Image([[0, 255]]);
    // Read back before finish: W&B's JSON, not an object of ours (it waits for the file).
    const live = run.summary.get("best") as { _type: string; path: string };
    expect(live).toMatchObject({
      _type: "image-file",
      path: expect.stringMatching(/^media\/images\/best_summary_/) as unknown,
    });
    expect((run.summary.toJSON()["clip"] as { _type: string })._type).toBe("audio-file");
    await run.finish();
    const rows = storedRows(run.dir);
    const summary = readOfflineRun(run.dir).summary;
    expect(summary["clip"]).toEqual(rows[1]?.["clip"]);
    expect(summary["best"]).toEqual(live);
    const best = summary["best"] as { path: string; sha256: string };
    expect(best.path).toMatch(/^media\/images\/best_summary_[0-9a-f]{20}\.png$/);
    expect(sha256(readFileSync(join(run.dir, "files", best.path)))).toBe(best.sha256);
    const summaryFile = JSON.parse(readFileSync(join(run.dir, "files", "summary.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(summaryFile["best"]).toEqual(best);
    expect(summaryFile["clip"]).toEqual(rows[1]?.["clip"]);
  });

  it("keeps class labels in the config once, and logs a file deleted right after log()", async () => {
    const root = tempDir();
    const run = await offlineRun(root);
    const path = join(root, "cloud.pts.json");
    writeFileSync(path, "[[0,0,0]]");
    const mask = { maskData: [[0, 1]], classLabels: { 0: "bg", 1: "fg" } };
    run.log({ seg: new Image([[0, 255]], { masks: { gt: mask } }), cloud: new Object3D(path) });
    rmSync(path);
    run.log({ seg: new Image([[9, 9]], { masks: { gt: mask } }) });
    await run.finish();
    expect(readOfflineRun(run.dir).config).toEqual({
      _wandb: {
        "mask/class_labels": {
          seg_wandb_delimeter_gt: {
            type: "mask/class_labels",
            key: "seg_wandb_delimeter_gt",
            value: { 0: "bg", 1: "fg" },
          },
        },
      },
    });
    expect(
      records(readOfflineRun(run.dir).logFile).filter((record) => record["t"] === "config"),
    ).toHaveLength(1);
    const cloud = storedRows(run.dir)[0]?.["cloud"] as { path: string };
    expect(readFileSync(join(run.dir, "files", cloud.path), "utf8")).toBe("[[0,0,0]]");
  });

  it("keeps nothing of a call with bad media: the error names the key, the step does not move", async () => {
    const run = await offlineRun(tempDir());
    expect(() => run.log({ loss: 1, bad: new Image([[0, NaN]]) })).toThrow(InvalidDataError);
    expect(() => run.log({ loss: 1, bad: new Image([[0, NaN]]) })).toThrow(
      /log\(\): Image at key "bad": value 1 is NaN/,
    );
    expect(() => run.log({ masks: new Image([[0, 1]], { masks: { m: { maskData: [[0]] } } }) })).toThrow(
      /mask "m" is 1×1 but the image is 2×1/,
    );
    expect(run.step).toBe(0);
    run.log({ loss: 2 });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ loss: 2, _step: 0 }]);
  });
});

describe("media files per call", () => {
  it("refuses a log() call that makes more than 2,048 media files, keeping nothing of it", async () => {
    const run = await offlineRun(tempDir());
    const grid = (n: number): Image[] => Array.from({ length: n }, (_, i) => new Image([[i & 255]]));
    const data: Record<string, unknown> = { loss: 1 };
    for (let k = 0; k < 19; k++) data[`grid${k}`] = grid(108); // 2,052 images
    expect(() => run.log(data)).toThrow(/this call makes 2052 media files; at most 2048 per call/);
    run.log({ ok: grid(108) });
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(["_step", "ok"]);
  });
});

describe("media rows during training", () => {
  it("reach the run log while the run goes on, without flush() or finish()", async () => {
    const run = await offlineRun(tempDir());
    run.log({ frame: new Image([[0, 128, 255]]), step: 0 });
    const logFile = resolveRunLog(run.dir).logFile;
    const deadline = Date.now() + 10_000;
    let row: Record<string, unknown> | undefined;
    while (row === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = records(logFile).find((record) => record["t"] === "history");
    }
    expect(row).toBeDefined();
    expect(storedRows(run.dir)[0]?.["frame"]).toMatchObject({ _type: "image-file", width: 3, height: 1 });
    await run.finish();
  });
});
