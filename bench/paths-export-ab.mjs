// bench/paths-export-ab: the CSV and Parquet export of one stored run through `stepwise export`,
// in one pass (the run's history columns kept at ingest; a dense run's Parquet from its series),
// in one pass over the rows ("rows": the same, `dense` = 0) and in two (the run's
// `history_columns` row taken away, as for a run stored before the table), alternating in one
// server on one database, with the server's CPU seconds, and each output's md5 (the two must be
// the same bytes). With `--base DIR` (a copy of an older packages/server/dist), the md5 of that
// code's renderers over the same stored run too, in this process.
// Usage: node bench/paths-export-ab.mjs [--rows N] [--rounds R] [--base DIR] [--prof DIR] [--only one|two]
// (build first: npx tsc -b). --prof DIR: the server runs with --cpu-prof into DIR; --only: one mode.
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, fillProject, openStore, runCli, startServer } from "./paths-data.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const ROWS = Number(arg("--rows", "1000000"));
const ROUNDS = Number(arg("--rounds", "3"));
const base = arg("--base", null);
const prof = arg("--prof", null);
const only = arg("--only", null); // "one" or "two": that mode only (for a profile)
const ref = { entity: "bench", project: "ab", runId: "r00000" };
const load0 = loadavg();
const work = mkdtempSync(join(tmpdir(), "stepwise-export-ab-"));
const dataDir = join(work, "data");
const md5 = (bytes) => createHash("md5").update(bytes).digest("hex");
const round2 = (x) => Number(x.toFixed(2));

/** `stepwise server` under `node --cpu-prof` (not allowed in NODE_OPTIONS): the profile is written at exit. */
async function profiledServer(dir, profDir) {
  const child = spawn(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${profDir}`, BIN, "server", "--port", "0", "--data", dir],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise((done, fail) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) done(match[1]);
    });
    child.once("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
  const stop = () =>
    new Promise((done) => {
      child.once("exit", done);
      child.kill("SIGTERM");
    });
  return { url, pid: child.pid, stop };
}

function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// The run, written through the store (its columns kept by the ingest core), then compacted.
let store = await openStore(dataDir);
await fillProject(store, ref.entity, ref.project, 1, ROWS);
await store.close();

const baseMd5 = {};
if (base !== null) {
  const module = (path) => import(pathToFileURL(join(resolve(base), path)).href);
  const { csvChunks } = await module("http/history/csv-chunks.js");
  const { parquetStream } = await module("http/history/parquet-stream.js");
  store = await openStore(dataDir);
  const scan = () => store.scanHistoryNdjson(ref);
  const chunks = [];
  for await (const chunk of csvChunks(scan)) chunks.push(chunk);
  baseMd5.csv = md5(Buffer.concat(chunks));
  baseMd5.parquet = md5(Buffer.from(await new Response(parquetStream(scan)).arrayBuffer()));
  await store.close();
}

const server = prof === null ? await startServer(dataDir) : await profiledServer(dataDir, resolve(prof));
const env = {
  STEPWISE_BASE_URL: server.url,
  STEPWISE_API_KEY: "",
  STEPWISE_CONFIG_DIR: join(work, "config"),
};
const db = new Database(join(dataDir, "stepwise.db"));
const kept = db.prepare("SELECT run_pk, names, kinds, dense FROM history_columns").get();
if (kept === undefined) throw new Error("the run has no history_columns row: is the build current?");
const setMode = (mode) => {
  db.prepare("DELETE FROM history_columns").run();
  if (mode !== "two")
    db.prepare("INSERT INTO history_columns (run_pk, names, kinds, dense) VALUES (?, ?, ?, ?)").run(
      kept.run_pk,
      kept.names,
      kept.kinds,
      mode === "one" ? kept.dense : 0,
    );
};

const MODES = ["one", "rows", "two"];
const results = Object.fromEntries(MODES.map((mode) => [mode, { csv: [], parquet: [] }]));
const sums = Object.fromEntries(MODES.map((mode) => [mode, {}]));
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of only !== null ? [only] : round % 2 === 0 ? MODES : [...MODES].reverse()) {
    for (const format of ["csv", "parquet"]) {
      // Before each export: a two-pass export keeps the columns it found (the run's next reads once).
      setMode(mode);
      const file = join(work, `out-${mode}.${format}`);
      const cpu0 = cpuSecondsOf(server.pid);
      const s = await runCli(
        ["export", `${ref.entity}/${ref.project}/${ref.runId}`, "--format", format, "--out", file],
        env,
      );
      results[mode][format].push({ wallS: round2(s), serverCpuS: round2(cpuSecondsOf(server.pid) - cpu0) });
      const sum = md5(readFileSync(file));
      if (sums[mode][format] !== undefined && sums[mode][format] !== sum)
        throw new Error(`${mode} ${format}: md5 changed`);
      sums[mode][format] = sum;
      rmSync(file);
    }
  }
}
setMode("one");
db.close();
await server.stop();
rmSync(work, { recursive: true, force: true });

const same = (format) =>
  (only !== null || MODES.every((mode) => sums[mode][format] === sums.one[format])) &&
  (base === null || baseMd5[format] === sums[only ?? "one"][format]);
const result = {
  bench: "paths-export-ab",
  rows: ROWS,
  rounds: ROUNDS,
  onePass: results.one,
  onePassRows: results.rows,
  twoPass: results.two,
  md5: { onePass: sums.one, onePassRows: sums.rows, twoPass: sums.two, base: base === null ? null : baseMd5 },
  sameBytes: { csv: same("csv"), parquet: same("parquet") },
  load: { start: load0.map(round2), end: loadavg().map(round2) },
};
for (const format of ["csv", "parquet"])
  for (const mode of MODES)
    console.log(
      `${format.padEnd(8)} ${mode.padEnd(4)}: wall ${results[mode][format].map((r) => r.wallS).join(", ")} s; ` +
        `server CPU ${results[mode][format].map((r) => r.serverCpuS).join(", ")} s`,
    );
console.log(
  `same bytes: csv ${result.sameBytes.csv}, parquet ${result.sameBytes.parquet}; load ${result.load.start.join(" ")} → ${result.load.end.join(" ")}`,
);
console.log(JSON.stringify(result));
if (!result.sameBytes.csv || !result.sameBytes.parquet) process.exitCode = 1;
