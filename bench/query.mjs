// bench/query: the SQLite store under load, through the Store interface only (build first:
// `npx tsc -b`). Ingests (a) one run with a 10,000,000-point series and (b) 100 runs × 100,000
// points via applyBatch, then times: a 1,000-bucket query over the 10M series, 100 runs × 1 key
// at 1,000 buckets each, full-history scans, and ingest (and scan, and a `_runtime`-axis query)
// of 1M rows with 10 metrics each plus _step/_runtime/_timestamp, as the SDK sends them.
// Prints numbers and one JSON line. Usage: node bench/query.mjs [bigPoints=10000000] [runs=100]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { PackedRowsBuilder, readPackedRows, stringifyExtended } from "@stepwise/protocol";
import { openSqliteStore } from "../packages/server/dist/store/sqlite/open-sqlite-store.js";

const bigPoints = Number(process.argv[2] ?? 10_000_000);
const manyRuns = Number(process.argv[3] ?? 100);
const pointsPerRun = 100_000;
const BATCH_ROWS = 10_000;
const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-query-"));
const dbPath = join(dir, "stepwise.db");
const store = await openSqliteStore(dbPath);
const ref = (runId) => ({ entity: "bench", project: "query", runId });
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Ingests `count` rows made by `row(step)` in batches; returns seconds spent in applyBatch. */
async function ingest(runRef, count, row) {
  let spent = 0;
  for (let offset = 0; offset < count; offset += BATCH_ROWS) {
    const rows = [];
    for (let step = offset; step < Math.min(count, offset + BATCH_ROWS); step++) rows.push(row(step));
    const t0 = process.hrtime.bigint();
    await store.applyBatch(runRef, { history: { offset, rows } }, Date.now() / 1000);
    spent += seconds(t0);
  }
  return spent;
}

/** As ingest, with the rows packed as the SDK uploads them (packing is not timed). */
async function ingestPacked(runRef, count, row) {
  let spent = 0;
  for (let offset = 0; offset < count; offset += BATCH_ROWS) {
    const builder = new PackedRowsBuilder();
    for (let step = offset; step < Math.min(count, offset + BATCH_ROWS); step++)
      builder.addObject(row(step), stringifyExtended);
    const packed = readPackedRows(builder.build());
    const t0 = process.hrtime.bigint();
    await store.applyBatch(runRef, { history: { offset, packed } }, Date.now() / 1000);
    spent += seconds(t0);
  }
  return spent;
}

/** Scans a run whole; returns [rows, seconds]. */
async function scan(runRef) {
  let rows = 0;
  const t0 = process.hrtime.bigint();
  for await (const page of store.scanHistory(runRef)) rows += page.length;
  return [rows, seconds(t0)];
}

/** Median milliseconds of `fn` over `repeat` runs, after one warm-up. */
async function timeMs(fn, repeat = 7) {
  await fn();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(seconds(t0) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const loss = (step) => Math.exp(-step / 1e6) + 0.01 * Math.sin(step);

// (a) one run, one key, 10M points.
const bigIngestS = await ingest(ref("big"), bigPoints, (step) => ({ _step: step, loss: loss(step) }));
console.log(
  `ingest (a)             ${bigPoints.toLocaleString("en-US")} rows × 1 key in ${bigIngestS.toFixed(1)} s`,
);

// (b) 100 runs × 100k points.
let manyIngestS = 0;
for (let r = 0; r < manyRuns; r++) {
  manyIngestS += await ingest(ref(`run-${r}`), pointsPerRun, (step) => ({
    _step: step,
    loss: loss(step) + r,
  }));
}
console.log(
  `ingest (b)             ${manyRuns} runs × ${pointsPerRun.toLocaleString("en-US")} rows in ${manyIngestS.toFixed(1)} s`,
);

const bigQueryMs = await timeMs(async () => {
  const [r] = await store.querySeries({ runs: [ref("big")], keys: ["loss"], xAxis: "_step", buckets: 1000 });
  if (r.count !== bigPoints || r.x.length !== 1000) throw new Error("unexpected big result");
});
const bigZoomMs = await timeMs(async () => {
  const xMin = Math.floor(bigPoints * 0.37);
  await store.querySeries({
    runs: [ref("big")],
    keys: ["loss"],
    xAxis: "_step",
    xMin,
    xMax: xMin + bigPoints / 100,
    buckets: 1000,
  });
});
const runRefs = Array.from({ length: manyRuns }, (_, r) => ref(`run-${r}`));
const manyQueryMs = await timeMs(async () => {
  const results = await store.querySeries({ runs: runRefs, keys: ["loss"], xAxis: "_step", buckets: 1000 });
  if (results.length !== manyRuns || results.some((r) => r.x.length !== 1000))
    throw new Error("unexpected many result");
});

// Full-history scan of the big run: rows as stored, page by page.
let scannedRows = 0;
const scanStart = process.hrtime.bigint();
for await (const page of store.scanHistory(ref("big"))) scannedRows += page.length;
const scanS = seconds(scanStart);
if (scannedRows !== bigPoints) throw new Error(`scan returned ${scannedRows} rows`);

// Ingest as the SDK sends it: 10 metrics per row plus _step, _runtime, _timestamp, packed.
const keys = ["loss", "acc", "lr", "grad_norm", "val/loss", "val/acc", "throughput", "epoch", "mem", "temp"];
const sdkRows = 1_000_000;
const sdkIngestS = await ingestPacked(ref("sdk"), sdkRows, (step) => {
  const row = { _step: step, _runtime: step * 0.01, _timestamp: 1.7e9 + step * 0.01 };
  for (let k = 0; k < keys.length; k++) row[keys[k]] = step * 0.001 + k;
  return row;
});
// The SDK-shaped run read back: while still packed (each number formatted as it is read), then
// after the server's idle-time compaction rewrote it as text (timed too).
const [packedScanned, packedScanS] = await scan(ref("sdk"));
const compactStart = process.hrtime.bigint();
while ((await store.compactHistory(16)) > 0);
const compactS = seconds(compactStart);
const [sdkScanned, sdkScanS] = await scan(ref("sdk"));
if (packedScanned !== sdkRows || sdkScanned !== sdkRows) throw new Error("SDK-shaped scan lost rows");
const byRuntimeMs = await timeMs(async () => {
  const [r] = await store.querySeries({
    runs: [ref("sdk")],
    keys: ["loss"],
    xAxis: "_runtime",
    buckets: 1000,
  });
  if (r.count !== sdkRows) throw new Error("unexpected _runtime result");
}, 3);
await store.close();
const dbMiB = statSync(dbPath).size / 2 ** 20;
rmSync(dir, { recursive: true, force: true });

const result = {
  bench: "query",
  bigPoints,
  bigQuery1000Ms: Number(bigQueryMs.toFixed(2)),
  bigZoom1000Ms: Number(bigZoomMs.toFixed(2)),
  runs: manyRuns,
  pointsPerRun,
  manyRuns1000Ms: Number(manyQueryMs.toFixed(2)),
  scanOneKeyRowsPerSec: Math.round(scannedRows / scanS),
  scanRowsPerSec: Math.round(sdkScanned / sdkScanS),
  scanPackedScalarPointsPerSec: Math.round((packedScanned * keys.length) / packedScanS),
  compactScalarPointsPerSec: Math.round((sdkRows * keys.length) / compactS),
  scanScalarPointsPerSec: Math.round((sdkScanned * keys.length) / sdkScanS),
  runtimeAxis1MMs: Number(byRuntimeMs.toFixed(1)),
  ingestOneKeyRowsPerSec: Math.round(bigPoints / bigIngestS),
  ingestRowsPerSec: Math.round(sdkRows / sdkIngestS),
  ingestScalarPointsPerSec: Math.round((sdkRows * keys.length) / sdkIngestS),
  dbMiB: Math.round(dbMiB),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
};
console.log(`query 10M, 1000 buckets ${result.bigQuery1000Ms} ms (1% zoom: ${result.bigZoom1000Ms} ms)`);
console.log(`query ${manyRuns} runs × 1000     ${result.manyRuns1000Ms} ms`);
console.log(`query 1M by _runtime    ${result.runtimeAxis1MMs} ms (rising x key, read from its rollups)`);
console.log(`scan 1-key rows        ${result.scanOneKeyRowsPerSec.toLocaleString("en-US")} rows/s`);
console.log(
  `scan 10-metric rows    ${result.scanRowsPerSec.toLocaleString("en-US")} rows/s = ${result.scanScalarPointsPerSec.toLocaleString("en-US")} scalar points/s`,
);
console.log(
  `scan before compaction ${result.scanPackedScalarPointsPerSec.toLocaleString("en-US")} scalar points/s (compaction: ${result.compactScalarPointsPerSec.toLocaleString("en-US")} points/s)`,
);
console.log(`ingest 1-key rows      ${result.ingestOneKeyRowsPerSec.toLocaleString("en-US")} rows/s`);
console.log(
  `ingest 10-metric rows  ${result.ingestRowsPerSec.toLocaleString("en-US")} rows/s = ${result.ingestScalarPointsPerSec.toLocaleString("en-US")} scalar points/s`,
);
console.log(`database               ${result.dbMiB} MiB`);
console.log(JSON.stringify(result));
