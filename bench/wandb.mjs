// bench/wandb: the real `wandb` Python client (wandb-core backend) logging to Stepwise through
// W&B's wire protocol (issue 17). A Python script logs ROWS rows of 10 keys with run.log() and
// finishes; its time until the Stepwise server holds every row (from the script's start, polling
// the run's stored history offset every 50 ms) is set beside the same script with
// mode="offline" (the client writing only its local .wandb file: the client's own limit), run
// in the same process order each round. The ratio is online / offline (medians over rounds).
// Also printed: the scripts' own init / log loop / finish times, the server's CPU time while the
// script ran (it shares the machine with the client), and the load average.
// The client comes from .tmp/wandb-venv-<version> (made by the W&B tests, or here when missing:
// python3 -m venv, pip install wandb==<version>).
// Usage: node bench/wandb.mjs [--rows N] [--rounds N] [--version X]   (default 100000 rows, 1 round, 0.28.2)
// Needs the build (`npx tsc -b`).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
};
const ROWS = Number(arg("--rows", "100000"));
const ROUNDS = Number(arg("--rounds", "1"));
const VERSION = arg("--version", "0.28.2");
const KEYS = 10;

const REPO = fileURLToPath(new URL("..", import.meta.url));
const venv = join(REPO, ".tmp", `wandb-venv-${VERSION}`);
const python = join(venv, "bin", "python");
if (!existsSync(join(venv, ".ready"))) {
  console.log(`making ${venv} (python3 -m venv, pip install wandb==${VERSION})`);
  rmSync(venv, { recursive: true, force: true });
  execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  execFileSync(join(venv, "bin", "pip"), ["install", "--quiet", `wandb==${VERSION}`], { stdio: "inherit" });
  writeFileSync(join(venv, ".ready"), `${VERSION}\n`);
}

const SCRIPT = `
import json, sys, time
t0 = time.time()
import wandb
rows, keys, mode, run_id, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
t1 = time.time()
run = wandb.init(project="bench-wandb", id=run_id, mode=mode)
t2 = time.time()
for i in range(rows):
    run.log({f"k{j}": i * 0.001 + j for j in range(keys)})
t3 = time.time()
run.finish()
t4 = time.time()
with open(out, "w") as f:
    json.dump({"importMs": (t1 - t0) * 1000, "initMs": (t2 - t1) * 1000, "logMs": (t3 - t2) * 1000, "finishMs": (t4 - t3) * 1000}, f)
`;

/**
 * The built server (packages/server/dist) in a child process on a free port; `{ url, pid, stop }`.
 * Not through the CLI, whose bin also loads the SDK: the bench needs the server alone.
 */
async function startServer(dataDir) {
  const dist = new URL("../packages/server/dist/index.js", import.meta.url).href;
  const code =
    `import { loadConfig, startServer } from ${JSON.stringify(dist)};` +
    `const server = await startServer(loadConfig({ port: 0, data: process.argv[1] }, process.env), { log: () => {} });` +
    `process.stdout.write(server.url + "\\n");` +
    `process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (exitCode) => reject(new Error(`server exited with ${exitCode}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, pid: child.pid, stop };
}

const work = mkdtempSync(join(tmpdir(), "stepwise-bench-wandb-"));
const script = join(work, "log.py");
writeFileSync(script, SCRIPT);
const server = await startServer(join(work, "data"));
const key = readFileSync(join(work, "data", "admin-key"), "utf8").trim();

/** Rows the server has stored for the run (its history offset), 0 before it exists. */
async function storedRows(runId) {
  const response = await fetch(`${server.url}/api/v1/runs/local/bench-wandb/${runId}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (response.status === 404) return 0;
  if (!response.ok) throw new Error(`GET run: ${response.status} ${await response.text()}`);
  const run = await response.json();
  // Every row: the history offset counts stored lines; the last one is step ROWS - 1.
  return run.lastStep === ROWS - 1 ? run.offsets.history : Math.min(run.offsets.history, ROWS - 1);
}

/** CPU time (user + system) the server process has used, ms (Linux /proc; NaN elsewhere). */
function serverCpuMs() {
  try {
    const stat = readFileSync(`/proc/${server.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** One script run; online: ms from its start until the server holds every row. */
async function once(mode, runId) {
  const out = join(work, `${runId}.json`);
  const started = performance.now();
  const cpu0 = serverCpuMs();
  const child = spawn(python, [script, String(ROWS), String(KEYS), mode, runId, out], {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: work,
      WANDB_DIR: work,
      WANDB_SILENT: "true",
      WANDB_BASE_URL: server.url,
      WANDB_API_KEY: key,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let exitMs = NaN;
  const exited = new Promise((resolve) =>
    child.once("exit", (code) => {
      exitMs = performance.now() - started;
      resolve(code);
    }),
  );
  let allRowsMs = NaN;
  if (mode === "online") {
    for (;;) {
      if ((await storedRows(runId)) >= ROWS) {
        allRowsMs = performance.now() - started;
        break;
      }
      if (child.exitCode !== null && (await storedRows(runId)) < ROWS)
        throw new Error(
          `the script exited with the server holding ${await storedRows(runId)} of ${ROWS} rows`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the ${mode} script exited with ${code}:\n${stderr.slice(-3000)}`);
  const inner = JSON.parse(readFileSync(out, "utf8"));
  const serverMs = serverCpuMs() - cpu0;
  return { mode, wallMs: mode === "online" ? allRowsMs : exitMs, exitMs, serverMs, ...inner };
}

const results = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["offline", "online"]) {
      const r = await once(mode, `bench${round}${mode}`);
      results.push(r);
      console.log(
        `${mode.padEnd(7)} round ${round}: ${r.wallMs.toFixed(0)} ms ${mode === "online" ? "until the server had every row" : "until the script exited"} ` +
          `(script exit ${r.exitMs.toFixed(0)} ms; import ${r.importMs.toFixed(0)}, init ${r.initMs.toFixed(0)}, log loop ${r.logMs.toFixed(0)}, finish ${r.finishMs.toFixed(0)} ms; server CPU ${r.serverMs.toFixed(0)} ms), load ${loadavg()[0].toFixed(1)}`,
      );
    }
  }
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
};
const of = (mode, field) => results.filter((r) => r.mode === mode).map((r) => r[field]);
const [offline, online] = [median(of("offline", "wallMs")), median(of("online", "wallMs"))];
const ratio = online / offline;
console.log(
  `median: offline ${offline.toFixed(0)} ms, online (server has every row) ${online.toFixed(0)} ms, ratio ${ratio.toFixed(2)}; ` +
    `${Math.round(ROWS / (online / 1000))} rows/s online`,
);
console.log(
  JSON.stringify({
    bench: "wandb",
    client: `wandb ${VERSION}`,
    rows: ROWS,
    keys: KEYS,
    rounds: ROUNDS,
    machine: `${cpus().length}× ${cpus()[0]?.model ?? "cpu"}`,
    loadAverage: Number(loadavg()[0].toFixed(1)),
    offlineMs: of("offline", "wallMs").map(Math.round),
    onlineMs: of("online", "wallMs").map(Math.round),
    onlineLogLoopMs: of("online", "logMs").map(Math.round),
    offlineLogLoopMs: of("offline", "logMs").map(Math.round),
    onlineServerCpuMs: of("online", "serverMs").map(Math.round),
    ratio: Number(ratio.toFixed(3)),
    onlineRowsPerS: Math.round(ROWS / (online / 1000)),
  }),
);
