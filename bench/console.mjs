// bench/console: console capture must not slow training. A child process runs the same training
// loop (a fixed piece of arithmetic, log() of 4 metrics, an await per step as a data loader would)
// while writing 50 MB of console output (100-byte lines, 1 in 20 a `\r` progress frame), once in
// a run with consoleCapture off and once with it on (the default), alternating off/on in the same
// process for 3 rounds so that drift hits both alike; the ratio is of the medians. Its stdout goes
// to /dev/null (the write itself costs the same either way). Offline runs: no server in the way.
// Prints each phase's loop time: wall, CPU of all the process's threads, and CPU of the training
// thread alone (/proc/self/task/<pid>/stat); the medians, the ratios on/off and one JSON line.
// Wall time is the target; on a loaded machine the training thread's CPU is the steadier sign.
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

/** CPU time of the main (training) thread alone, from /proc (Linux: its thread id is the pid); NaN elsewhere. */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

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
    const main0 = mainThreadCpuMs();
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
    const mainMs = mainThreadCpuMs() - main0;
    await run.finish();
    return { loopMs, cpuMs: (cpu.user + cpu.system) / 1000, mainMs, sink };
  };
  const results = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const capture of [false, true]) {
      const { loopMs, cpuMs, mainMs } = await phase(capture);
      results.push({ capture, loopMs, cpuMs, mainMs });
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
    `capture ${r.capture ? "on " : "off"}: loop ${r.loopMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU (all threads), ${r.mainMs.toFixed(0)} ms CPU (training thread), ${steps} steps`,
  );
const ratio = median(on) / median(off);
const cpuRatio = median(cpuOn) / median(cpuOff);
const [mainOff, mainOn] = [pick(false, "mainMs"), pick(true, "mainMs")];
const mainRatio = median(mainOn) / median(mainOff);
console.log(
  `median wall: off ${median(off).toFixed(0)} ms, on ${median(on).toFixed(0)} ms, ratio ${ratio.toFixed(3)} (target < 1.05)`,
);
console.log(
  `median CPU: off ${median(cpuOff).toFixed(0)} ms, on ${median(cpuOn).toFixed(0)} ms, ratio ${cpuRatio.toFixed(3)}`,
);
console.log(
  `median training-thread CPU: off ${median(mainOff).toFixed(0)} ms, on ${median(mainOn).toFixed(0)} ms, ratio ${mainRatio.toFixed(3)}`,
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
    mainThreadCpuOffMs: mainOff.map(Math.round),
    mainThreadCpuOnMs: mainOn.map(Math.round),
    mainThreadCpuRatio: Number(mainRatio.toFixed(3)),
    pass: ratio < 1.05,
  }),
);
