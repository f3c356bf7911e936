// bench/paths: every user path as a ratio to the engine under it, in one run over the same data.
// Engine: the SDK's log()-only throughput (offline run), the store's full-history scan and its
// 1,000-bucket series query (in this process, on the server's own database while the server is
// stopped). User paths: bench/ingest's end to end ingest; `stepwise export` of one run as JSONL,
// CSV and Parquet (wall clock of the CLI process, start included); Api.scanHistory; Api.history
// sampled; the UI's series fetch (float64 columns); a bulk Parquet export of a whole project.
// Points are scalar metric values (10 per row; _step/_runtime/_timestamp not counted).
// Prints each ratio with the absolute numbers, and one JSON line.
// The project is written once through the Store into .tmp/bench-paths-<runs>x<rows> and copied
// from there on later runs. Usage: node bench/paths.mjs [--quick] [--no-project]
// (build first: npx tsc -b). --no-project leaves the 1,000-run project out (no 4.6 GB fill, no
// project export): the one-run paths and their engine figures only, in ~1/3 of the time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Api, init } from "@stepwise/sdk";
import { fileURLToPath } from "node:url";
import { compactAll, KEYS, medianMs, openStore, prepareProject, runCli, startServer } from "./paths-data.mjs";

const quick = process.argv.includes("--quick");
const withProject = !process.argv.includes("--no-project");
const loadAtStart = loadavg();
const ROWS = quick ? 100_000 : 1_000_000;
const PROJECT_RUNS = quick ? 100 : 1_000;
const PROJECT_ROWS = quick ? 1_000 : 10_000;
const SAMPLES = 1_000;
const work = mkdtempSync(join(tmpdir(), "stepwise-paths-"));
const dataDir = join(work, "data");
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const pointsPerSec = (rows, s) => Math.round((rows * KEYS.length) / s);
const fillRow = (row, i) => {
  for (let k = 0; k < KEYS.length; k++) row[KEYS[k]] = i * 0.001 + k;
};

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

// 1. Engine: log() only, offline (no upload), as bench/sdk-log.
const offline = await init({
  mode: "offline",
  dir: join(work, "offline"),
  project: "bench",
  settings: { silent: true },
});
const logRow = {};
let t0 = process.hrtime.bigint();
for (let i = 0; i < ROWS; i++) {
  fillRow(logRow, i);
  offline.log(logRow);
}
const logOnlyS = seconds(t0);
await offline.finish();

// The project of many runs, from .tmp when an earlier run filled it.
const root = fileURLToPath(new URL("..", import.meta.url));
let fillS = 0;
if (withProject) fillS = await prepareProject(root, dataDir, "bench", "project", PROJECT_RUNS, PROJECT_ROWS);
else mkdirSync(dataDir, { recursive: true });

// 2. User path: end-to-end ingest, as bench/ingest (the server holds every row).
let server = await startServer(dataDir);
const online = await init({
  dir: join(work, "online"),
  baseUrl: server.url,
  entity: "bench",
  project: "paths",
  settings: { silent: true, finishTimeoutMs: 600_000 },
});
const ingestCpu0 = cpuSecondsOf(server.pid);
const ingestSelf0 = process.cpuUsage();
t0 = process.hrtime.bigint();
for (let i = 0; i < ROWS; i++) {
  fillRow(logRow, i);
  online.log(logRow);
}
const onlineLoopS = seconds(t0);
await online.finish();
const ingestS = seconds(t0);
const ingestServerCpuS = cpuSecondsOf(server.pid) - ingestCpu0;
const ingestClientCpu = process.cpuUsage(ingestSelf0);
const runRef = { entity: online.entity, project: online.project, runId: online.id };
const runPath = `${runRef.entity}/${runRef.project}/${runRef.runId}`;
await server.stop();

// 3. Engine: the store itself, on the same database, server stopped.
const store = await openStore(dataDir);
await compactAll(store); // as the server does once ingestion pauses
let scanned = 0;
t0 = process.hrtime.bigint();
for await (const page of store.scanHistory(runRef)) scanned += page.length;
const storeScanS = seconds(t0);
if (scanned !== ROWS) throw new Error(`store scan: ${scanned} rows, expected ${ROWS}`);
const seriesQuery = { runs: [runRef], keys: KEYS, xAxis: "_step", buckets: SAMPLES };
const storeQueryMs = await medianMs(() => store.querySeries(seriesQuery));
let projectScanned = 0;
t0 = process.hrtime.bigint();
for (let r = 0; withProject && r < PROJECT_RUNS; r++)
  for await (const page of store.scanHistory({
    entity: "bench",
    project: "project",
    runId: `r${String(r).padStart(5, "0")}`,
  }))
    projectScanned += page.length;
const storeProjectScanS = seconds(t0);
await store.close();

// 4. User paths over the same data, through a running server.
server = await startServer(dataDir);
const env = {
  STEPWISE_BASE_URL: server.url,
  STEPWISE_API_KEY: "",
  STEPWISE_CONFIG_DIR: join(work, "config"),
};
const out = join(work, "out");
const cli = async (args) => {
  const cpu0 = cpuSecondsOf(server.pid);
  const s = await runCli(args, env);
  return { s, serverCpuS: cpuSecondsOf(server.pid) - cpu0 };
};
const exportOne = (format) => cli(["export", runPath, "--format", format, "--out", `${out}-one.${format}`]);
const jsonl = await exportOne("jsonl");
const csv = await exportOne("csv");
const parquet = await exportOne("parquet");

const api = new Api({ baseUrl: server.url });
const apiRun = await api.run(runPath);
let apiRows = 0;
const scanCpu0 = cpuSecondsOf(server.pid);
t0 = process.hrtime.bigint();
for await (const row of apiRun.scanHistory()) if (row._step !== undefined) apiRows++;
const apiScanS = seconds(t0);
const apiScanServerCpuS = cpuSecondsOf(server.pid) - scanCpu0;
if (apiRows !== ROWS) throw new Error(`scanHistory: ${apiRows} rows, expected ${ROWS}`);
const sampledMs = await medianMs(() => apiRun.history({ samples: SAMPLES }));
const uiSeriesMs = await medianMs(async () => {
  const response = await fetch(`${server.url}/api/v1/series`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/vnd.stepwise.series+f64" },
    body: JSON.stringify(seriesQuery),
  });
  await response.arrayBuffer();
});

let project = { s: NaN, serverCpuS: NaN };
if (withProject)
  try {
    project = await cli([
      "export",
      "bench/project",
      "--format",
      "parquet",
      "--out",
      `${out}-project`,
      "--json",
    ]);
  } catch (error) {
    console.error(`project export failed: ${error.message}`);
  }
await server.stop();
rmSync(work, { recursive: true, force: true });

const storeScan = pointsPerSec(ROWS, storeScanS);
const round2 = (x) => Number(x.toFixed(2));
const rate = (s, rows = ROWS) => pointsPerSec(rows, s);
const single = rate(parquet.s);
const projectRate = rate(project.s, PROJECT_RUNS * PROJECT_ROWS);
const result = {
  bench: "paths",
  size: {
    rows: ROWS,
    keys: KEYS.length,
    projectRuns: PROJECT_RUNS,
    projectRows: PROJECT_ROWS,
    samples: SAMPLES,
  },
  ratios: {
    exportJsonlToStoreScan: round2(rate(jsonl.s) / storeScan),
    exportCsvToStoreScan: round2(rate(csv.s) / storeScan),
    exportParquetToStoreScan: round2(rate(parquet.s) / storeScan),
    scanHistoryToStoreScan: round2(rate(apiScanS) / storeScan),
    sampledHistoryToStoreQuery: round2(sampledMs / storeQueryMs),
    sampledHistoryWithinTarget: sampledMs <= 2 * storeQueryMs + 5,
    uiSeriesToStoreQuery: round2(uiSeriesMs / storeQueryMs),
    ingestToLogOnly: round2(rate(ingestS) / rate(logOnlyS)),
    projectParquetToSingleRun: round2(projectRate / single),
  },
  engine: {
    logOnlyPointsPerSec: rate(logOnlyS),
    storeScanPointsPerSec: storeScan,
    storeProjectScanPointsPerSec: withProject ? rate(storeProjectScanS, projectScanned) : null,
    storeQueryMs: round2(storeQueryMs),
  },
  paths: {
    ingestPointsPerSec: rate(ingestS),
    ingestLogCallsPerSec: Math.round(ROWS / onlineLoopS),
    ingestCpuS: {
      server: round2(ingestServerCpuS),
      sdkProcess: round2((ingestClientCpu.user + ingestClientCpu.system) / 1e6),
      wall: round2(ingestS),
    },
    exportJsonl: {
      pointsPerSec: rate(jsonl.s),
      wallS: round2(jsonl.s),
      serverCpuS: round2(jsonl.serverCpuS),
    },
    exportCsv: { pointsPerSec: rate(csv.s), wallS: round2(csv.s), serverCpuS: round2(csv.serverCpuS) },
    exportParquet: { pointsPerSec: single, wallS: round2(parquet.s), serverCpuS: round2(parquet.serverCpuS) },
    scanHistory: {
      pointsPerSec: rate(apiScanS),
      wallS: round2(apiScanS),
      serverCpuS: round2(apiScanServerCpuS),
    },
    sampledHistoryMs: round2(sampledMs),
    uiSeriesMs: round2(uiSeriesMs),
    projectParquet: {
      pointsPerSec: projectRate,
      wallS: round2(project.s),
      serverCpuS: round2(project.serverCpuS),
    },
  },
  fillSeconds: fillS === 0 ? null : round2(fillS), // null: the project was in .tmp already (or left out)
  // Load average (1, 5, 15 min) at the start and the end: the machine may be shared.
  load: { start: loadAtStart.map(round2), end: loadavg().map(round2) },
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
};
const fmt = (n) => n.toLocaleString("en-US");
const line = (label, ratio, detail) =>
  console.log(`${label.padEnd(36)} ${String(ratio).padStart(6)}  ${detail}`);
const r = result.ratios;
const p = result.paths;
console.log(
  `ratios (user path ÷ engine), ${fmt(ROWS)} rows × ${KEYS.length} keys; ` +
    (withProject ? `project ${PROJECT_RUNS} × ${fmt(PROJECT_ROWS)}` : "no project") +
    `; load average ${result.load.start.join(" ")} at the start, ${result.load.end.join(" ")} at the end`,
);
line(
  "export jsonl ÷ store scan",
  r.exportJsonlToStoreScan,
  `${fmt(p.exportJsonl.pointsPerSec)} vs ${fmt(storeScan)} points/s`,
);
line("export csv ÷ store scan", r.exportCsvToStoreScan, `${fmt(p.exportCsv.pointsPerSec)} points/s`);
line(
  "export parquet ÷ store scan",
  r.exportParquetToStoreScan,
  `${fmt(p.exportParquet.pointsPerSec)} points/s`,
);
line("Api.scanHistory ÷ store scan", r.scanHistoryToStoreScan, `${fmt(p.scanHistory.pointsPerSec)} points/s`);
line(
  "Api.history sampled ÷ store query",
  r.sampledHistoryToStoreQuery,
  `${p.sampledHistoryMs} ms vs ${result.engine.storeQueryMs} ms (target ≤ 2× + 5 ms: ${r.sampledHistoryWithinTarget})`,
);
line("UI series fetch ÷ store query", r.uiSeriesToStoreQuery, `${p.uiSeriesMs} ms`);
line(
  "ingest end to end ÷ log() only",
  r.ingestToLogOnly,
  `${fmt(p.ingestPointsPerSec)} vs ${fmt(result.engine.logOnlyPointsPerSec)} points/s`,
);
line(
  "project parquet ÷ single run",
  r.projectParquetToSingleRun,
  `${fmt(p.projectParquet.pointsPerSec)} points/s, ${p.projectParquet.wallS} s`,
);
console.log(JSON.stringify(result));
