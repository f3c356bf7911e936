// bench/structured-server: the server's side of tables and histograms (build first: `npx tsc -b`).
// Starts the built server on 127.0.0.1 over a temp data directory, logs a 1,000,000-row table
// (its table-file history value and its file through the file channel), and times over HTTP:
// the first query (which stores the table: streamed parse, insert, indexes, in a worker
// thread), then pages — logged order, sorted by an indexed column, filtered + sorted by two
// columns (first page, which finds the order, then further pages), sorted descending by text,
// grouped with a filter — and a histogram heatmap of 10,000 steps × 64 bins (merged into 1,000
// columns, and exact at 10,000 columns). Prints numbers (each page's wall time, the CPU time of
// this process — steadier on a loaded machine — and the load average) and one JSON line.
// Usage: node bench/structured-server.mjs [rows=1000000] [steps=10000]
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { apiPaths, contentRange, stringifyExtended, structuredPaths } from "@stepwise/protocol";
import { loadConfig, startServer } from "../packages/server/dist/index.js";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const loadStart = loadavg();
const STEPS = Number(process.argv[3] ?? 10_000);
const LABELS = ["cat", "dog", "bird", "fish", "cow", "ant", "eel"];
const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-structured-"));
const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: dir }, {}), {
  log: () => {},
});
const ref = { entity: "bench", project: "structured", runId: "tables" };
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function send(method, path, body) {
  const response = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json" },
    body: stringifyExtended(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function upload(path, bytes) {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const answer = await send("POST", apiPaths.fileUploads(ref), { path, size: bytes.length, sha256 });
  let start = answer.received ?? 0;
  while (answer.status === "upload") {
    const length = Math.min(answer.partBytes, bytes.length - start);
    const response = await fetch(server.url + answer.uploadUrl, {
      method: "PUT",
      headers: { "content-range": contentRange(start, length, bytes.length) },
      body: bytes.subarray(start, start + length),
    });
    const part = await response.json();
    if (part.status === "stored") break;
    start = part.received;
  }
  return sha256;
}

const load = () => loadavg()[0];

/**
 * Times `query` `n` times (each a distinct page when `body` takes the index): median and max of
 * the wall time, max of the CPU time of this process (server, its read workers and the client:
 * steadier than wall time on a loaded machine), and the 1-minute load average after.
 */
async function pages(n, body) {
  const times = [];
  const cpu = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await send("POST", structuredPaths.tableQuery(ref), body(i));
    times.push(ms(t0));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)], max: times[n - 1], cpuMax: Math.max(...cpu), load: load() };
}

// The table file, as W&B's SDK writes it: {"columns":[…],"data":[[…],…]}.
const next = random(7);
const parts = ['{"columns":["id","score","label","ok","note"],"data":['];
for (let i = 0; i < ROWS; i++)
  parts.push(
    `${i === 0 ? "" : ","}${JSON.stringify([i, Math.round(next() * 1e6) / 1e6, LABELS[Math.floor(next() * 7)], next() < 0.3, i % 10 === 3 ? null : `n${i % 997}`])}`,
  );
parts.push("]}");
const bytes = Buffer.from(parts.join(""));
const sha256 = createHash("sha256").update(bytes).digest("hex");
const path = `media/table/big_0_${sha256.slice(0, 20)}.table.json`;
await send("POST", apiPaths.ingest(ref), {
  history: {
    offset: 0,
    rows: [
      { _step: 0, big: { _type: "table-file", path, sha256, size: bytes.length, nrows: ROWS, ncols: 5 } },
    ],
  },
});
let t0 = process.hrtime.bigint();
await upload(path, bytes);
const uploadMs = ms(t0);
t0 = process.hrtime.bigint();
await send("POST", structuredPaths.tableQuery(ref), { key: "big", limit: 100 });
const storeMs = ms(t0);

const offsets = (i) => Math.floor(((i * 7919) % 97) * (ROWS / 100));
const where = 'label in ("cat", "eel") and score > 0.25 and ok = false';
const sort2 = [
  { column: "label", desc: true },
  { column: "score", desc: false },
];
const results = {
  logged: await pages(20, (i) => ({ key: "big", offset: offsets(i), limit: 100 })),
  sortIndexed: await pages(20, (i) => ({
    key: "big",
    sort: [{ column: "score" }],
    offset: offsets(i),
    limit: 100,
  })),
  filterSortFirst: await pages(1, () => ({ key: "big", where, sort: sort2, offset: 0, limit: 100 })),
  filterSortNext: await pages(20, (i) => ({
    key: "big",
    where,
    sort: sort2,
    offset: offsets(i) / 5,
    limit: 100,
  })),
  sortTextDescFirst: await pages(1, () => ({
    key: "big",
    sort: [{ column: "note", desc: true }],
    offset: 0,
    limit: 100,
  })),
  sortTextDescNext: await pages(20, (i) => ({
    key: "big",
    sort: [{ column: "note", desc: true }],
    offset: offsets(i),
    limit: 100,
  })),
  filterFirstOther: await pages(1, () => ({
    key: "big",
    where: "score < 0.1 or note contains 'n99'",
    sort: [{ column: "id", desc: true }],
    limit: 100,
  })),
  groupFiltered: await pages(3, () => ({ key: "big", where: "score < 0.5", groupBy: "label", limit: 100 })),
};

// Histograms: STEPS rows with a 64-bin histogram each.
const hist = { ...ref, runId: "histograms" };
for (let from = 0; from < STEPS; from += 1000) {
  const rows = [];
  for (let s = from; s < Math.min(STEPS, from + 1000); s++)
    rows.push({
      _step: s,
      weights: {
        _type: "histogram",
        values: Array.from({ length: 64 }, () => Math.floor(next() * 1000)),
        bins: Array.from({ length: 65 }, (_, i) => -1 + i / 32 + s / STEPS),
      },
    });
  await send("POST", apiPaths.ingest(hist), { history: { offset: from, rows } });
}
const heat = async (columns) => {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t1 = process.hrtime.bigint();
    await send("POST", structuredPaths.histograms(hist), { key: "weights", columns });
    times.push(ms(t1));
  }
  return times.sort((a, b) => a - b)[2];
};
const heat1000 = await heat(1000);
const heat10000 = await heat(10_000);
await server.close();
rmSync(dir, { recursive: true, force: true });

const f = (x) => x.toFixed(1);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}; load average at start ${loadStart.map((x) => x.toFixed(2)).join(" / ")}, at end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ")} (1 / 5 / 15 min)`,
);
console.log(
  `table: ${ROWS} rows, ${(bytes.length / 1e6).toFixed(1)} MB of JSON; upload ${f(uploadMs)} ms; first query (stores it) ${f(storeMs)} ms`,
);
for (const [name, r] of Object.entries(results))
  console.log(
    `  ${name.padEnd(18)} median ${f(r.median)} ms, max ${f(r.max)} ms (CPU max ${f(r.cpuMax)} ms; load ${r.load.toFixed(2)})`,
  );
console.log(
  `histograms: ${STEPS} steps × 64 bins; heatmap 1,000 columns ${f(heat1000)} ms, ${STEPS} columns (exact) ${f(heat10000)} ms`,
);
console.log(
  JSON.stringify({
    bench: "structured-server",
    rows: ROWS,
    storeMs: Math.round(storeMs),
    pages: Object.fromEntries(
      Object.entries(results).map(([k, r]) => [
        k,
        { median: +f(r.median), max: +f(r.max), cpuMax: +f(r.cpuMax), load: +r.load.toFixed(2) },
      ]),
    ),
    histogramSteps: STEPS,
    heatmap1000Ms: +f(heat1000),
    heatmapExactMs: +f(heat10000),
  }),
);
