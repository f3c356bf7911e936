/**
 * A tensor-like set in the summary must have a shape that describes its data: whole dimensions
 * ≥ 0 whose product is the number of values. `shape: [2, 3]` with 100 values and `shape: [NaN]`
 * are InvalidDataErrors naming the key, and nothing of them is logged: the run's summary (read
 * back from its log) and its summary.json stay valid; a matching shape is stored with it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { readOfflineRun } from "../src/index.js";
import { offlineRun } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function tensorLike(shape: unknown[], count: number): { shape: unknown[]; dataSync: () => Float32Array } {
  return { shape, dataSync: () => Float32Array.from({ length: count }, (_, i) => i) };
}

describe("summary tensors' shapes", () => {
  it("refuses a shape that does not match the data, naming the key", async () => {
    const run = await offlineRun(tempDir());
    expect(() => run.summary.set("w", tensorLike([2, 3], 100))).toThrow(InvalidDataError);
    expect(() => run.summary.set("w", tensorLike([2, 3], 100))).toThrow(
      /key "w" has the shape \[2, 3\] \(6 values\) but holds 100 values/,
    );
    expect(() => run.summary.set("v", tensorLike([Number.NaN], 100))).toThrow(
      /key "v" has the shape \[NaN\]/,
    );
    expect(() => run.summary.set("u", tensorLike([-2, -50], 100))).toThrow(
      /key "u" has the shape \[-2, -50\]/,
    );
    run.summary.set("ok", tensorLike([10, 10], 100));
    await run.finish();
    const summary = readOfflineRun(run.dir).summary;
    expect(Object.keys(summary).filter((key) => !key.startsWith("_"))).toEqual(["ok"]);
    expect(summary["ok"]).toMatchObject({ _type: "tensor", shape: [10, 10], count: 100 });
    const summaryJson = JSON.parse(readFileSync(join(run.dir, "files", "summary.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(summaryJson["ok"]).toMatchObject({ shape: [10, 10] });
  });
});
