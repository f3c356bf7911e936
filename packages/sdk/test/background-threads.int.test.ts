/**
 * The SDK's media thread gives way to the training thread: once an image is logged, a thread of
 * the training process runs at nice 10 (Linux), while the training thread itself keeps its
 * priority; STEPWISE_THREAD_NICE=0 leaves every thread as it was. Read from /proc, as the kernel
 * sees the threads, in a real training process.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

// Prints {"main": <nice of the training thread>, "niced": [<nice of each thread not at 0>]}.
const script = `
import { readdirSync, readFileSync } from "node:fs";
import { Image, init } from "@stepwise/sdk";
const nices = () => readdirSync("/proc/self/task").map((tid) => {
  const stat = readFileSync("/proc/self/task/" + tid + "/stat", "utf8");
  return { tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) };
});
const run = await init({ mode: "offline", dir: process.argv[1], project: "nice", settings: { silent: true } });
run.log({ loss: 0.5 });
run.log({ pic: new Image({ data: new Uint8Array(8 * 8 * 3).fill(7), shape: [8, 8, 3] }) });
const until = Date.now() + 5000;
let seen = nices();
while (Date.now() < until && process.env.STEPWISE_THREAD_NICE !== "0" && !seen.some((t) => t.nice !== 0)) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  seen = nices();
}
await run.finish();
const main = seen.find((t) => t.tid === process.pid);
console.log(JSON.stringify({ main: main.nice, niced: seen.filter((t) => t.nice !== 0).map((t) => t.nice) }));
`;

function runScript(env: Record<string, string>): { main: number; niced: number[]; dir: string } {
  const dir = tempDir();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir], {
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    encoding: "utf8",
    timeout: 25_000,
    env: { ...process.env, ...env },
  });
  expect(child.status, child.stderr).toBe(0);
  return {
    ...(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as { main: number; niced: number[] }),
    dir,
  };
}

describe.runIf(process.platform === "linux")("background threads of a training process", () => {
  it("run the media thread at nice 10 and leave the training thread alone; the image is logged", () => {
    const { main, niced, dir } = runScript({});
    expect(main).toBe(0);
    expect(niced.length).toBeGreaterThanOrEqual(1);
    expect(niced.every((nice) => nice === 10)).toBe(true);
    const rows = storedRows(join(dir, "stepwise", "latest-run"));
    expect(rows[0]).toEqual({ loss: 0.5, _step: 0 });
    expect(rows[1]).toMatchObject({ _step: 1, pic: { _type: "image-file", width: 8, height: 8 } });
  });

  it("take the value of STEPWISE_THREAD_NICE, and 0 changes nothing", () => {
    expect(runScript({ STEPWISE_THREAD_NICE: "5" }).niced).toContain(5);
    expect(runScript({ STEPWISE_THREAD_NICE: "0" }).niced).toEqual([]);
  });
});
