/** run.config: A26 and the nested-merge rules, property access, what reaches the disk. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, InvalidDataError, UsageError, getRun, readOfflineRun } from "../src/index.js";
import { offlineRun } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
afterEach(async () => {
  await getRun()?.finish();
});

describe("config", () => {
  it("A26: a changed value needs allowValChange; the same value is accepted; --keys lose dashes", async () => {
    const run = await offlineRun(tempDir(), { config: { lr: 1 } });
    expect(() => run.config.update({ lr: 2 })).toThrow(ConfigError);
    expect(() => run.config.update({ lr: 2 })).toThrow(/"lr" from 1 to 2.*allowValChange/s);
    expect(run.config["lr"]).toBe(1);
    run.config.update({ lr: 1 });
    run.config.update({ lr: 2 }, { allowValChange: true });
    expect(run.config["lr"]).toBe(2);
    run.config["--bs"] = 3;
    expect(run.config["bs"]).toBe(3);
    expect(() => {
      run.config["bs"] = 4;
    }).toThrow(ConfigError);
    await run.finish();
  });

  it("deep-merges nested values; changing a nested leaf is protected too", async () => {
    const run = await offlineRun(tempDir(), { config: { model: { layers: 3 } } });
    run.config.update({ model: { width: 64 } });
    expect(run.config.toJSON()).toEqual({ model: { layers: 3, width: 64 } });
    expect(() => run.config.update({ model: { layers: 4 } })).toThrow(/"model.layers"/);
    await run.finish();
  });

  it("stores NaN as null and refuses functions, naming the key", async () => {
    const run = await offlineRun(tempDir());
    run.config.update({ x: Number.NaN });
    expect(run.config["x"]).toBeNull();
    expect(() => run.config.update({ f: () => 1 })).toThrow(InvalidDataError);
    expect(() => run.config.update({ f: () => 1 })).toThrow(/"f"/);
    await run.finish();
  });

  it("is written to files/config.json and replayable from the log, and frozen after finish", async () => {
    const run = await offlineRun(tempDir(), { config: { lr: 0.1, opt: { name: "adam" } } });
    run.config.update({ epochs: 3 });
    run.config["batch"] = 32;
    await run.finish();
    const expected = { lr: 0.1, opt: { name: "adam" }, epochs: 3, batch: 32 };
    expect(JSON.parse(readFileSync(join(run.dir, "files", "config.json"), "utf8"))).toEqual(expected);
    expect(readOfflineRun(run.dir).config).toEqual(expected);
    expect(() => run.config.update({ late: 1 })).toThrow(UsageError);
    expect(Object.keys(run.config)).toEqual(["lr", "opt", "epochs", "batch"]);
  });
});
