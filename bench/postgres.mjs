// bench/postgres: the PostgreSQL store beside the embedded SQLite store, in one run (issue 16's
// targets). Starts its own PostgreSQL 15 cluster (bench/support/pg-cluster.mjs: initdb under
// .tmp, fsync and synchronous_commit on, shared_buffers 512 MB; removed at the end) and measures:
//   1. ingest  — end to end, the real SDK (a child process, as bench/ingest.mjs logs: dicts of 10
//                scalars) to a real `stepwise server`: SQLite vs `--database postgres://…`.
//                Target: PostgreSQL ≥ 50% of SQLite.
//   2. query   — the 1,000-bucket series query over one 10 M-point run, through the Store (as
//                bench/query.mjs; the data written with applyBatch). Target: PostgreSQL ≤ 3×.
//   3. runs    — a project of 10,000 runs listed through the HTTP API as the runs page asks
//                (first page of 200; with the columns' select; filtered on config and sorted by
//                a summary metric). Target: ≤ 100 ms on PostgreSQL.
//   4. fleet   — clients split across two API servers on one PostgreSQL vs all on one server.
//                Target: ≥ 1.5×; the CPU of each server, of PostgreSQL (postmaster and its
//                backends) and of the clients says which one limits it.
// After each PostgreSQL fill the bench runs VACUUM ANALYZE and CHECKPOINT (what autovacuum and
// the checkpointer do before anyone reads the data). Each phase prints the load average; the end
// prints one JSON line. Build first: npx tsc -b.
// Usage: node bench/postgres.mjs [--quick] [--only ingest,query,runs,fleet] [--rounds 1]
//   [--calls 1000000] [--points 10000000] [--runs 10000] [--clients 4] [--client-calls 250000]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openSqliteStore } from "../packages/server/dist/store/sqlite/open-sqlite-store.js";
import { openPostgresStore } from "../packages/server/dist/store/postgres/open-postgres-store.js";
import { PG_SETTINGS, startPgCluster } from "./support/pg-cluster.mjs";
import {
  BIG_RUN,
  fillBigSeries,
  fillRuns,
  LISTINGS,
  RUNS_PROJECT,
  timeMs,
} from "./support/pg-bench-data.mjs";
import { load1, withCpu } from "./support/proc-cpu.mjs";
import { pointsPerSecond, runClients } from "./support/sdk-ingest-client.mjs";
import { startServer } from "./support/server-process.mjs";

const { values: opt } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    rounds: { type: "string" },
    calls: { type: "string" },
    points: { type: "string" },
    runs: { type: "string" },
    clients: { type: "string" },
    "client-calls": { type: "string" },
  },
});
const size = (name, full, quick) => Number(opt[name] ?? (opt.quick ? quick : full));
const calls = size("calls", 1_000_000, 20_000);
const points = size("points", 10_000_000, 200_000);
const runCount = size("runs", 10_000, 500);
const clients = size("clients", 4, 2);
const clientCalls = size("client-calls", 250_000, 10_000);
const rounds = size("rounds", 1, 1);
const phases = new Set((opt.only ?? "ingest,query,runs,fleet").split(","));

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const result = { bench: "postgres", pgSettings: PG_SETTINGS, machine: "", loads: {} };
const cluster = await startPgCluster();
// Made once the cluster runs: a cluster that fails to start leaves nothing behind.
const work = mkdtempSync(join(tmpdir(), "stepwise-bench-pg-"));
console.log(
  `PostgreSQL 15: ${Object.entries(PG_SETTINGS)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}; load ${load1()}`,
);
let databases = 0;
const newDatabase = () => cluster.createDatabase(`bench_${++databases}`);
/**
 * After a bulk fill, what autovacuum would have done by the time anyone reads the data: fresh
 * statistics and visibility map (index-only counts), and the dirty pages written out, so that a
 * timing does not share the disk with the fill's checkpoint.
 */
async function settle(dbUrl) {
  const name = new URL(dbUrl).pathname.slice(1);
  await cluster.query("VACUUM ANALYZE", name);
  await cluster.query("CHECKPOINT");
}

/** Every server started, stopped at the end even when a phase throws. */
const started = [];

/** A server on `dataDir` (default a fresh one); on PostgreSQL with `dbUrl`. */
async function server(dbUrl, dataDir = mkdtempSync(join(work, "data-"))) {
  const srv = await startServer(dataDir, dbUrl ? ["--database", dbUrl] : []);
  started.push(srv);
  return srv;
}

/** The statements that took the most time since the last call (pg_stat_statements), then reset. */
async function topStatements(n = 4) {
  const rows = await cluster.query(
    `SELECT calls, round(total_exec_time::numeric, 0) AS ms, round(mean_exec_time::numeric, 3) AS mean,
       left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${n}`,
  );
  await cluster.query("SELECT pg_stat_statements_reset()");
  return rows.map((r) => `${String(r.ms).padStart(7)} ms ${fmt(r.calls).padStart(9)}× ${r.q}`);
}

const JSON_BODY = { "content-type": "application/json" };
const cores = (cpu, seconds) => (cpu / seconds).toFixed(2);

// 1. End-to-end ingest, one SDK client: SQLite server vs PostgreSQL server, alternating.
async function ingestPhase() {
  const rates = { sqlite: [], postgres: [] };
  for (let round = 0; round < rounds; round++) {
    for (const engine of ["sqlite", "postgres"]) {
      const dbUrl = engine === "postgres" ? await newDatabase() : undefined;
      const srv = await server(dbUrl);
      if (dbUrl) await cluster.query("SELECT pg_stat_statements_reset()");
      const pids = { server: { pid: srv.pid }, postgres: { pid: cluster.postmasterPid, tree: true } };
      const m = await withCpu(pids, () => runClients([{ url: srv.url, calls, project: "ingest" }]));
      await srv.stop();
      const rate = pointsPerSecond(m.result);
      rates[engine].push(rate);
      const client = m.result[0];
      console.log(
        `ingest ${engine.padEnd(8)} ${fmt(rate)} scalar points/s (${calls.toLocaleString("en-US")} × 10, ` +
          `${((client.endMs - client.startMs) / 1000).toFixed(2)} s; CPU s: client ${client.cpuSeconds.toFixed(1)}, ` +
          `server ${m.cpu.server}, postgres ${m.cpu.postgres}; load ${m.load})`,
      );
      if (dbUrl) for (const line of await topStatements()) console.log(`  pg: ${line}`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [sqlite, postgres] = [median(rates.sqlite), median(rates.postgres)];
  result.ingest = {
    calls,
    rounds,
    sqlitePointsPerSec: Math.round(sqlite),
    postgresPointsPerSec: Math.round(postgres),
    ratio: Number((postgres / sqlite).toFixed(3)),
    target: "≥ 0.5",
  };
  result.loads.ingest = load1();
  console.log(`ingest PostgreSQL ÷ SQLite  ${result.ingest.ratio} (target ≥ 0.5; load ${load1()})`);
}

// 2. The 1,000-bucket query over one long series, through the Store.
async function queryPhase() {
  const sqliteDir = mkdtempSync(join(work, "query-"));
  const out = { points };
  const queryDb = await newDatabase();
  const stores = {
    sqlite: await openSqliteStore(join(sqliteDir, "stepwise.db")),
    postgres: await openPostgresStore(queryDb),
  };
  for (const [engine, store] of Object.entries(stores)) {
    const fillS = await fillBigSeries(store, points);
    if (engine === "postgres") await settle(queryDb);
    const query = (zoom) => {
      const xMin = zoom ? Math.floor(points * 0.37) : undefined;
      return store.querySeries({
        runs: [BIG_RUN],
        keys: ["loss"],
        xAxis: "_step",
        buckets: 1000,
        ...(zoom ? { xMin, xMax: xMin + points / 100 } : {}),
      });
    };
    const fullMs = await timeMs(async () => {
      const [r] = await query(false);
      if (r.count !== points || r.x.length !== 1000) throw new Error(`${engine}: unexpected query result`);
    }, 15);
    const zoomMs = await timeMs(() => query(true), 15);
    out[engine] = {
      ingestRowsPerSec: Math.round(points / fillS),
      query1000Ms: Number(fullMs.toFixed(2)),
      zoom1000Ms: Number(zoomMs.toFixed(2)),
    };
    console.log(
      `query ${engine.padEnd(8)} 1,000 buckets over ${fmt(points)} points ${fullMs.toFixed(2)} ms ` +
        `(1% zoom ${zoomMs.toFixed(2)} ms; filled at ${fmt(points / fillS)} rows/s; load ${load1()})`,
    );
    await store.close();
  }
  rmSync(sqliteDir, { recursive: true, force: true });
  out.ratio = Number((out.postgres.query1000Ms / out.sqlite.query1000Ms).toFixed(2));
  out.zoomRatio = Number((out.postgres.zoom1000Ms / out.sqlite.zoom1000Ms).toFixed(2));
  out.target = "≤ 3";
  result.query = out;
  result.loads.query = load1();
  console.log(
    `query PostgreSQL ÷ SQLite   ${out.ratio} (1% zoom ${out.zoomRatio}; target ≤ 3; load ${load1()})`,
  );
  for (const line of await topStatements(3)) console.log(`  pg: ${line}`);
}

// 3. The runs listing of a 10,000-run project through the HTTP API.
async function runsPhase() {
  const sqliteDir = mkdtempSync(join(work, "runs-"));
  const dbUrl = await newDatabase();
  const out = { runs: runCount };
  for (const engine of ["sqlite", "postgres"]) {
    const store =
      engine === "sqlite"
        ? await openSqliteStore(join(sqliteDir, "stepwise.db"))
        : await openPostgresStore(dbUrl);
    const fillS = await fillRuns(store, runCount);
    await store.close();
    if (engine === "postgres") await settle(dbUrl);
    const srv = engine === "sqlite" ? await server(undefined, sqliteDir) : await server(dbUrl);
    const url = `${srv.url}/api/v1/runs/${RUNS_PROJECT.entity}/${RUNS_PROJECT.project}`;
    const times = {};
    for (const [name, body] of Object.entries(LISTINGS)) {
      const list = async () => {
        const response = await fetch(url, { method: "POST", headers: JSON_BODY, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`${engine} ${name}: ${response.status} ${await response.text()}`);
        const page = await response.json();
        const expected = body.filters.length === 0 ? runCount : Math.ceil(runCount / 4);
        if (page.total !== expected || page.runs.length !== Math.min(200, expected))
          throw new Error(`${engine} ${name}: total ${page.total}, ${page.runs.length} runs`);
      };
      times[name] = Number((await timeMs(list, 9)).toFixed(2));
    }
    await srv.stop();
    out[engine] = { ...times, fillRunsPerSec: Math.round(runCount / fillS) };
    console.log(
      `runs  ${engine.padEnd(8)} ${Object.entries(times)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(", ")} (${fmt(runCount)} runs, created at ${fmt(runCount / fillS)}/s; load ${load1()})`,
    );
  }
  rmSync(sqliteDir, { recursive: true, force: true });
  out.postgresWorstMs = Math.max(...Object.keys(LISTINGS).map((k) => out.postgres[k]));
  out.target = "≤ 100 ms";
  result.runs = out;
  result.loads.runs = load1();
  console.log(
    `runs  PostgreSQL slowest listing ${out.postgresWorstMs} ms (target ≤ 100 ms; load ${load1()})`,
  );
  for (const line of await topStatements(3)) console.log(`  pg: ${line}`);
}

// 4. Clients split across two API servers on one PostgreSQL vs all on one.
async function fleetPhase() {
  const out = { clients, clientCalls };
  for (const serverCount of [1, 2]) {
    const dbUrl = await newDatabase();
    const servers = [];
    for (let i = 0; i < serverCount; i++) servers.push(await server(dbUrl));
    await cluster.query("SELECT pg_stat_statements_reset()");
    const pids = { postgres: { pid: cluster.postmasterPid, tree: true } };
    servers.forEach((s, i) => (pids[`server${i + 1}`] = { pid: s.pid }));
    const specs = Array.from({ length: clients }, (_, c) => ({
      url: servers[c % serverCount].url,
      calls: clientCalls,
      project: "fleet",
    }));
    const m = await withCpu(pids, () => runClients(specs));
    for (const s of servers) await s.stop();
    const rate = pointsPerSecond(m.result);
    const clientCpu = m.result.reduce((sum, r) => sum + r.cpuSeconds, 0);
    const cpu = { ...m.cpu, clients: Number(clientCpu.toFixed(2)) };
    const busy = m.machine / (m.seconds * cpus().length);
    out[`servers${serverCount}`] = {
      pointsPerSec: Math.round(rate),
      seconds: Number(m.seconds.toFixed(2)),
      cpuSeconds: cpu,
      machineBusy: Number(busy.toFixed(2)),
      load: m.load,
    };
    console.log(
      `fleet ${serverCount} server${serverCount > 1 ? "s" : " "} ${fmt(rate)} scalar points/s ` +
        `(${clients} clients × ${fmt(clientCalls)} × 10, ${m.seconds.toFixed(1)} s; load ${m.load})`,
    );
    console.log(
      `  cores used: ${Object.entries(cpu)
        .map(([k, v]) => `${k} ${cores(v, m.seconds)}`)
        .join(", ")}; machine ${(busy * 100).toFixed(0)}% of ${cpus().length} cores busy`,
    );
    for (const line of await topStatements(3)) console.log(`  pg: ${line}`);
  }
  out.ratio = Number((out.servers2.pointsPerSec / out.servers1.pointsPerSec).toFixed(2));
  out.bottleneck = bottleneck(out.servers2);
  out.target = "≥ 1.5";
  result.fleet = out;
  result.loads.fleet = load1();
  console.log(`fleet 2 servers ÷ 1          ${out.ratio} (target ≥ 1.5; load ${load1()})`);
  console.log(`fleet bottleneck             ${out.bottleneck}`);
}

/** Which side limits the two-server run: the machine's cores, PostgreSQL, the servers or the clients. */
function bottleneck({ cpuSeconds, seconds, machineBusy }) {
  const used = Object.entries(cpuSeconds).map(([k, v]) => [k, v / seconds]);
  const servers = used.filter(([k]) => k.startsWith("server")).reduce((s, [, v]) => s + v, 0);
  const top = [...used, ["servers", servers]].sort((a, b) => b[1] - a[1])[0];
  const share = used.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
  if (machineBusy >= 0.9)
    return `the machine: ${(machineBusy * 100).toFixed(0)}% of ${cpus().length} cores busy (cores: ${share}); the largest user is ${top[0]}`;
  return `not CPU-saturated (${(machineBusy * 100).toFixed(0)}% busy; cores: ${share}): waits (commits, locks, round trips); largest CPU user ${top[0]}`;
}

try {
  if (phases.has("ingest")) await ingestPhase();
  if (phases.has("query")) await queryPhase();
  if (phases.has("runs")) await runsPhase();
  if (phases.has("fleet")) await fleetPhase();
} finally {
  for (const srv of started) await srv.stop();
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
result.machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`;
console.log(JSON.stringify(result));
