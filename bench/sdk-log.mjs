// bench/sdk-log: run.log() of a 10-scalar dict in a tight loop with the writer running.
// Prints calls/s, scalar points/s, p50/p99/p99.9 latency of log(), peak RSS, bytes written,
// and one JSON line. Usage: node bench/sdk-log.mjs [calls=2000000]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { init } from "@stepwise/sdk";

const calls = Number(process.argv[2] ?? 2_000_000);
const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
const run = await init({ mode: "offline", dir, project: "bench", settings: { silent: true } });
const keys = ["loss", "acc", "lr", "grad_norm", "val/loss", "val/acc", "throughput", "epoch", "mem", "temp"];

// Latency is sampled on every 16th call (timing each call doubles the loop's cost).
const samples = new Float64Array(Math.ceil(calls / 16));
let sampled = 0;
let peakRss = process.memoryUsage.rss();
const row = {};
const started = process.hrtime.bigint();
for (let i = 0; i < calls; i++) {
  for (let k = 0; k < keys.length; k++) row[keys[k]] = i * 0.001 + k;
  if ((i & 15) === 0) {
    const t0 = process.hrtime.bigint();
    run.log(row);
    samples[sampled++] = Number(process.hrtime.bigint() - t0);
  } else {
    run.log(row);
  }
  if ((i & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
}
const loopNs = Number(process.hrtime.bigint() - started);
const finishStart = process.hrtime.bigint();
await run.finish();
const finishMs = Number(process.hrtime.bigint() - finishStart) / 1e6;
peakRss = Math.max(peakRss, process.memoryUsage.rss());

const sorted = Array.from(samples.subarray(0, sampled)).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] / 1000;
const callsPerSec = calls / (loopNs / 1e9);
const logBytes = statSync(join(run.dir, `run-${run.id}.swlog`)).size;
const result = {
  bench: "sdk-log",
  calls,
  scalarsPerCall: keys.length,
  callsPerSec: Math.round(callsPerSec),
  scalarPointsPerSec: Math.round(callsPerSec * keys.length),
  p50Us: Number(pct(50).toFixed(2)),
  p99Us: Number(pct(99).toFixed(2)),
  p999Us: Number(pct(99.9).toFixed(2)),
  finishMs: Number(finishMs.toFixed(1)),
  peakRssMiB: Math.round(peakRss / 2 ** 20),
  logMiB: Number((logBytes / 2 ** 20).toFixed(1)),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
};
rmSync(dir, { recursive: true, force: true });
console.log(`log() calls/s          ${result.callsPerSec.toLocaleString("en-US")}`);
console.log(`scalar points/s        ${result.scalarPointsPerSec.toLocaleString("en-US")}`);
console.log(`log() latency p50/p99  ${result.p50Us} µs / ${result.p99Us} µs (p99.9 ${result.p999Us} µs)`);
console.log(`finish()               ${result.finishMs} ms`);
console.log(`peak RSS               ${result.peakRssMiB} MiB (run log ${result.logMiB} MiB)`);
console.log(JSON.stringify(result));
