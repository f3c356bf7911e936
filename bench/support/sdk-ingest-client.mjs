// One SDK client of an end-to-end ingest bench, as bench/ingest.mjs logs: an online run that
// logs `calls` dicts of 10 scalars in a tight loop, then finish() (it returns once the upload
// drained), then the server's row count is checked. Run as a child process, one per client,
// so that each client has its own event loop and its CPU is its own:
//   node bench/support/sdk-ingest-client.mjs <serverUrl> <calls> <project>
// prints one JSON line: { startMs, loopEndMs, endMs (epoch ms), calls, points, cpuSeconds }.
// `runClients(specs)` starts several and resolves with their results.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
export const KEYS = [
  "loss",
  "acc",
  "lr",
  "grad_norm",
  "val/loss",
  "val/acc",
  "throughput",
  "epoch",
  "mem",
  "temp",
];
const nowMs = () => performance.timeOrigin + performance.now();

async function main(url, calls, project) {
  const { init } = await import("@stepwise/sdk");
  const work = mkdtempSync(join(tmpdir(), "stepwise-pg-client-"));
  const run = await init({
    dir: work,
    baseUrl: url,
    project,
    settings: { silent: true, finishTimeoutMs: 1_200_000 },
  });
  const row = {};
  const startMs = nowMs();
  for (let i = 0; i < calls; i++) {
    for (let k = 0; k < KEYS.length; k++) row[KEYS[k]] = i * 0.001 + k;
    run.log(row);
  }
  const loopEndMs = nowMs();
  await run.finish();
  const endMs = nowMs();
  const path = `${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}`;
  const stored = await (await fetch(path)).json();
  const rows = (stored.run ?? stored).offsets?.history;
  rmSync(work, { recursive: true, force: true });
  if (rows !== calls) throw new Error(`server has ${rows} rows of ${run.id}, expected ${calls}`);
  const usage = process.cpuUsage();
  const cpuSeconds = (usage.user + usage.system) / 1e6;
  console.log(JSON.stringify({ startMs, loopEndMs, endMs, calls, points: calls * KEYS.length, cpuSeconds }));
}

/** Runs one client per `{ url, calls, project }` at once; resolves with their JSON results. */
export function runClients(specs) {
  return Promise.all(
    specs.map(
      ({ url, calls, project }) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [SELF, url, String(calls), project], {
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          child.stdout.on("data", (chunk) => (out += chunk));
          child.once("exit", (code) => {
            const line = out.trim().split("\n").pop() ?? "";
            if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line));
            else reject(new Error(`ingest client for ${url} exited with ${code}: ${out}`));
          });
        }),
    ),
  );
}

/** Scalar points/s of clients that ran together: all points over the first start to the last end. */
export function pointsPerSecond(results) {
  const start = Math.min(...results.map((r) => r.startMs));
  const end = Math.max(...results.map((r) => r.endMs));
  return results.reduce((sum, r) => sum + r.points, 0) / ((end - start) / 1000);
}

if (process.argv[1] === SELF) {
  await main(process.argv[2], Number(process.argv[3]), process.argv[4] ?? "bench");
}
