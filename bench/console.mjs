// bench/console: console capture must not slow training. A child process runs the same training
// loop (a fixed piece of arithmetic, log() of 4 metrics, an await per step as a data loader would)
// while writing 50 MB of console output (100-byte lines, 1 in 20 a `\r` progress frame), once in
// a run with consoleCapture off and once with it on (the default), alternating off/on/off/on in
// the same process so that drift hits both alike (3 rounds; the ratio of the medians). Its stdout goes to /dev/null (the write itself
// costs the same either way). Offline runs: no server in the way.
// Prints each phase's loop time (wall, and CPU of all the process's threads), the medians, the
// ratios on/off (wall is the target; on a loaded machine CPU is the steadier sign) and one JSON line.
// Target (issue 13): slowdown under 5%.
// Usage: node bench/console.mjs [--quick]   (quick: 10 MB per phase)
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const quick = process.argv.includes("--quick");
const MB = quick ? 10 : 50;
const ROUNDS = 3;

if (process.argv[2] === "--child") {
  const [, , , dir, out, megabytes] = process.argv;
  const { init } = await import("@stepwise/sdk");
  const LINE = 100;
  const LINES_PER_STEP = 100;
  const steps = Math.round((Number(megabytes) * 1024 * 1024) / (LINE * LINES_PER_STEP));
  const body = "y".repeat(LINE - 30);
  const phase = async (capture) => {
    const run = await init({
      dir,
      mode: "offline",
      project: "bench-console",
      settings: { silent: true, consoleCapture: capture, systemMetrics: false },
    });
    let sink = 0;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    for (let step = 0; step < steps; step++) {
      let x = 0;
      for (let i = 0; i < 250_000; i++) x += Math.sqrt(i + step);
      sink += x;
      run.log({ loss: 1 / (step + 1), acc: step / steps, lr: 0.001, x });
      let text = "";
      for (let l = 0; l < LINES_PER_STEP; l++) {
        const line = `step ${String(step).padStart(7)} line ${String(l).padStart(3)} ${body}`;
        text += l % 20 === 19 ? `\r${line.slice(0, LINE - 2)}` : `${line.slice(0, LINE - 1)}\n`;
      }
      process.stdout.write(text);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const loopMs = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    await run.finish();
    return { loopMs, cpuMs: (cpu.user + cpu.system) / 1000, sink };
  };
  const results = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const capture of [false, true]) {
      const { loopMs, cpuMs } = await phase(capture);
      results.push({ capture, loopMs, cpuMs });
    }
  }
  writeFileSync(out, JSON.stringify({ steps, results }));
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "stepwise-bench-console-"));
const out = join(work, "result.json");
const devNull = openSync("/dev/null", "w");
const child = spawn(
  process.execPath,
  [fileURLToPath(import.meta.url), "--child", join(work, "runs"), out, String(MB)],
  {
    stdio: ["ignore", devNull, "inherit"],
  },
);
const code = await new Promise((resolve) => child.once("exit", resolve));
if (code !== 0) throw new Error(`bench child exited with ${code}`);
const { steps, results } = JSON.parse(readFileSync(out, "utf8"));
rmSync(work, { recursive: true, force: true });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const pick = (capture, field) => results.filter((r) => r.capture === capture).map((r) => r[field]);
const [off, on, cpuOff, cpuOn] = [
  pick(false, "loopMs"),
  pick(true, "loopMs"),
  pick(false, "cpuMs"),
  pick(true, "cpuMs"),
];
for (const r of results)
  console.log(
    `capture ${r.capture ? "on " : "off"}: loop ${r.loopMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU (all threads), ${steps} steps`,
  );
const ratio = median(on) / median(off);
const cpuRatio = median(cpuOn) / median(cpuOff);
console.log(
  `median wall: off ${median(off).toFixed(0)} ms, on ${median(on).toFixed(0)} ms, ratio ${ratio.toFixed(3)} (target < 1.05)`,
);
console.log(
  `median CPU: off ${median(cpuOff).toFixed(0)} ms, on ${median(cpuOn).toFixed(0)} ms, ratio ${cpuRatio.toFixed(3)}`,
);
console.log(
  JSON.stringify({
    bench: "console",
    consoleMB: MB,
    steps,
    machine: `${cpus().length}× ${cpus()[0]?.model ?? "cpu"}`,
    loadAverage: Number(loadavg()[0].toFixed(1)),
    offMs: off.map(Math.round),
    onMs: on.map(Math.round),
    cpuOffMs: cpuOff.map(Math.round),
    cpuOnMs: cpuOn.map(Math.round),
    ratio: Number(ratio.toFixed(3)),
    cpuRatio: Number(cpuRatio.toFixed(3)),
    pass: ratio < 1.05,
  }),
);
