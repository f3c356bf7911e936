/**
 * System metrics with a real child process and a real server: samples every interval (15 s by
 * default) with plausible values, GPU readings from a fake `nvidia-smi` on PATH (and none, with
 * no error, when it prints garbage or is missing), kept apart from history (`_step` unchanged),
 * and an offline run's samples sent at `stepwise sync` as they were recorded.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { Api, syncRunDirectory } from "../src/index.js";
import { listFrames } from "./support/log-frames.js";
import { fetchHistory, useServerForFile } from "./support/server-process.js";
import { fetchSystem, runSurroundingsChild, runUrl } from "./support/surroundings-child.js";

const { server, tempDir } = useServerForFile();

const GOOD_GPUS = "0, 45, 12, 2048, 81920, 55, 120.5, 700.00\n1, 90, 50, 40960, 81920, 70, [N/A], 700.00\n";

/** A directory holding an executable `nvidia-smi` that prints `output`, and a PATH that finds it first. */
function fakeNvidiaSmi(output: string): string {
  const dir = join(tempDir(), "bin");
  mkdirSync(dir);
  const script = join(dir, "nvidia-smi");
  writeFileSync(script, `#!/bin/sh\nprintf '%s' '${output.replace(/'/g, "")}'\n`);
  chmodSync(script, 0o755);
  return `${dir}${delimiter}${process.env["PATH"] ?? ""}`;
}

function gpuKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => key.startsWith("system.gpu."));
}

describe("system metrics", () => {
  it("samples every 15 s by default with plausible values, apart from history (40 s run)", async () => {
    const started = Date.now() / 1000;
    const child = await runSurroundingsChild(tempDir(), {
      target: server.url,
      durationMs: 40_000,
      kind: "quiet",
      env: { PATH: fakeNvidiaSmi(GOOD_GPUS) },
    });
    expect(child.code, child.stderr).toBe(0);
    const { samples, keys, total } = await fetchSystem(server.url, child.run);
    expect(total).toBe(samples.length);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(3);
    samples.forEach((sample, i) => {
      expect(sample["_runtime"]).toBeGreaterThan(15 * (i + 1) - 1);
      expect(sample["_runtime"]).toBeLessThan(15 * (i + 1) + 5);
      expect(sample["_timestamp"]).toBeGreaterThan(started);
      expect(sample["_timestamp"]).toBeLessThan(Date.now() / 1000);
      const value = (key: string): number => sample[key] as number;
      expect(value("system.cpu")).toBeGreaterThanOrEqual(0);
      expect(value("system.cpu")).toBeLessThanOrEqual(100);
      for (let core = 0; core < cpus().length; core++) {
        expect(value(`system.cpu.${core}.cpu_percent`)).toBeGreaterThanOrEqual(0);
        expect(value(`system.cpu.${core}.cpu_percent`)).toBeLessThanOrEqual(100);
      }
      expect(value("system.proc.cpu.percent")).toBeGreaterThan(0);
      expect(value("system.proc.cpu.percent")).toBeLessThanOrEqual(100);
      expect(value("system.memory")).toBeGreaterThan(0);
      expect(value("system.memory")).toBeLessThan(100);
      const totalMB = totalmem() / 1024 / 1024;
      expect(value("system.memory.usedMB") + value("system.proc.memory.availableMB")).toBeCloseTo(
        totalMB,
        -2,
      );
      expect(value("system.proc.memory.rssMB")).toBeGreaterThan(20);
      expect(value("system.proc.memory.rssMB")).toBeLessThan(4096);
      expect(value("system.proc.memory.heapMB")).toBeGreaterThan(1);
      expect(value("system.proc.memory.heapMB")).toBeLessThan(value("system.proc.memory.rssMB"));
      expect(value("system.disk")).toBeGreaterThan(0);
      expect(value("system.disk")).toBeLessThanOrEqual(100);
      expect(value("system.proc.eventLoopLagMs")).toBeGreaterThanOrEqual(0);
      expect(value("system.proc.eventLoopLagMs")).toBeLessThan(1000);
      expect(value("system.network.recv")).toBeGreaterThanOrEqual(0);
      expect(value("system.proc.cpu.threads")).toBeGreaterThanOrEqual(2);
      // What the fake nvidia-smi printed, GPU by GPU; an [N/A] reading is left out, the rest kept.
      expect(value("system.gpu.0.gpu")).toBe(45);
      expect(value("system.gpu.0.memory")).toBe(12);
      expect(value("system.gpu.0.memoryAllocated")).toBeCloseTo((2048 / 81920) * 100, 10);
      expect(value("system.gpu.0.temp")).toBe(55);
      expect(value("system.gpu.0.powerWatts")).toBe(120.5);
      expect(value("system.gpu.1.gpu")).toBe(90);
      expect(value("system.gpu.1.temp")).toBe(70);
      expect(sample["system.gpu.1.powerWatts"]).toBeUndefined();
    });
    expect(gpuKeys(keys)).toContain("system.gpu.1.memoryAllocatedBytes");
    // History holds only what the run logged: no system key, `_step` counts the log() calls.
    const history = await fetchHistory(server.url, child.run);
    expect(history.length).toBeGreaterThan(100);
    history.forEach((row, i) => expect(row["_step"]).toBe(i));
    for (const row of history) expect(Object.keys(row).filter((key) => key.startsWith("system"))).toEqual([]);
  }, 90_000);

  it("leaves GPU metrics out, without failing, when nvidia-smi prints garbage or is missing", async () => {
    const garbage = fakeNvidiaSmi(
      "NVIDIA-SMI has failed because it couldn't communicate with the driver\n1,2\n",
    );
    const missing = join(tempDir(), "empty");
    mkdirSync(missing);
    for (const PATH of [garbage, missing]) {
      const child = await runSurroundingsChild(tempDir(), {
        target: server.url,
        durationMs: 1200,
        intervalMs: 200,
        kind: "quiet",
        env: { PATH },
      });
      expect(child.code, child.stderr).toBe(0);
      const { samples, keys } = await fetchSystem(server.url, child.run);
      expect(samples.length).toBeGreaterThanOrEqual(3);
      expect(keys).toContain("system.cpu");
      expect(gpuKeys(keys)).toEqual([]);
    }
  }, 60_000);

  it("sends an offline run's samples at sync as recorded, and downsamples on request", async () => {
    const child = await runSurroundingsChild(tempDir(), {
      target: "offline",
      durationMs: 2000,
      intervalMs: 150,
      kind: "quiet",
    });
    expect(child.code, child.stderr).toBe(0);
    const logFile = join(
      child.run.dir,
      readdirSync(child.run.dir).find((name) => name.endsWith(".swlog")) as string,
    );
    const bytes = readFileSync(logFile);
    const recorded = listFrames(logFile)
      .filter((frame) => frame.t === "system")
      .map(
        (frame) =>
          (
            parseExtended(bytes.toString("utf8", frame.offset + 12, frame.offset + frame.bytes)) as {
              sample: Record<string, number>;
            }
          ).sample,
      );
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    expect((await fetch(runUrl(server.url, child.run, "system"))).status).toBe(404);
    const result = await syncRunDirectory(child.run.dir, { baseUrl: server.url });
    expect(result.status, result.message ?? "").toBe("synced");
    const { samples, total } = await fetchSystem(server.url, child.run);
    expect(total).toBe(recorded.length);
    expect(samples).toEqual(recorded);
    // The Api client reads the same (W&B's run.history(stream="system")).
    const remote = await new Api({ baseUrl: server.url }).run(
      `${child.run.entity}/${child.run.project}/${child.run.id}`,
    );
    expect((await remote.systemMetrics()).samples).toEqual(recorded);
    expect((await remote.systemMetrics({ samples: 3 })).samples).toHaveLength(3);
    const halved = await fetchSystem(server.url, child.run, `?samples=2`);
    expect(halved.samples).toHaveLength(2);
    expect(halved.samples[1]?.["_timestamp"]).toBe(recorded.at(-1)?.["_timestamp"]);
    const bad = await fetch(runUrl(server.url, child.run, "system?samples=1"));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("samples");
  }, 60_000);
});
