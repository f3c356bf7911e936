// bench/ingest: end-to-end SDK → server ingest. Starts `stepwise server --port 0` (embedded
// SQLite store) in a child process, logs `calls` 10-scalar dicts from an online run in a tight
// loop, and measures scalar points/s until the server has every row (finish() returns once the
// upload drained; the server's row count is then checked). Prints numbers and one JSON line.
// Usage: node bench/ingest.mjs [calls=1000000]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { init } from "@stepwise/sdk";
import { startServer } from "./support/server-process.mjs";

const calls = Number(process.argv[2] ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), "stepwise-ingest-"));
const server = await startServer(join(work, "data"));
const url = server.url;

const run = await init({
  dir: work,
  baseUrl: url,
  project: "bench",
  settings: { silent: true, finishTimeoutMs: 600_000 },
});
const keys = ["loss", "acc", "lr", "grad_norm", "val/loss", "val/acc", "throughput", "epoch", "mem", "temp"];
const row = {};
const started = process.hrtime.bigint();
for (let i = 0; i < calls; i++) {
  for (let k = 0; k < keys.length; k++) row[keys[k]] = i * 0.001 + k;
  run.log(row);
}
const loopNs = Number(process.hrtime.bigint() - started);
await run.finish();
const totalNs = Number(process.hrtime.bigint() - started);
const stored = await (await fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}`)).json();
const storedRun = stored.run ?? stored;
await server.stop();
rmSync(work, { recursive: true, force: true });
if (storedRun.offsets?.history !== calls)
  throw new Error(`server has ${storedRun.offsets?.history} rows, expected ${calls}`);

const result = {
  bench: "ingest",
  calls,
  scalarsPerCall: keys.length,
  logCallsPerSec: Math.round(calls / (loopNs / 1e9)),
  endToEndSeconds: Number((totalNs / 1e9).toFixed(2)),
  scalarPointsPerSec: Math.round((calls * keys.length) / (totalNs / 1e9)),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
};
console.log(`log() calls/s (online)      ${result.logCallsPerSec.toLocaleString("en-US")}`);
console.log(`until the server has all    ${result.endToEndSeconds} s`);
console.log(`end-to-end scalar points/s  ${result.scalarPointsPerSec.toLocaleString("en-US")}`);
console.log(JSON.stringify(result));
