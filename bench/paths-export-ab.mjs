// bench/paths-export-ab: the CSV and Parquet export of one stored run through `stepwise export`,
// in one pass (the run's history columns kept at ingest) and in two (the same run with its
// `history_columns` row taken away, as for a run stored before the table), alternating in one
// server on one database, with the server's CPU seconds, and each output's md5 (the two must be
// the same bytes). With `--base DIR` (a copy of an older packages/server/dist), the md5 of that
// code's renderers over the same stored run too, in this process.
// Usage: node bench/paths-export-ab.mjs [--rows N] [--rounds R] [--base DIR] [--prof DIR]
// (build first: npx tsc -b). --prof DIR: the server runs with --cpu-prof into DIR.
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { fillProject, openStore, runCli, startServer } from "./paths-data.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const ROWS = Number(arg("--rows", "1000000"));
const ROUNDS = Number(arg("--rounds", "3"));
const base = arg("--base", null);
const prof = arg("--prof", null);
const ref = { entity: "bench", project: "ab", runId: "r00000" };
const load0 = loadavg();
const work = mkdtempSync(join(tmpdir(), "stepwise-export-ab-"));
const dataDir = join(work, "data");
const md5 = (bytes) => createHash("md5").update(bytes).digest("hex");
const round2 = (x) => Number(x.toFixed(2));

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

if (prof !== null) process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${resolve(prof)}`;
const server = await startServer(dataDir);
delete process.env.NODE_OPTIONS;
const env = {
  STEPWISE_BASE_URL: server.url,
  STEPWISE_API_KEY: "",
  STEPWISE_CONFIG_DIR: join(work, "config"),
};
const db = new Database(join(dataDir, "stepwise.db"));
const kept = db.prepare("SELECT run_pk, names, kinds FROM history_columns").get();
if (kept === undefined) throw new Error("the run has no history_columns row: is the build current?");
const setMode = (mode) => {
  db.prepare("DELETE FROM history_columns").run();
  if (mode === "one")
    db.prepare("INSERT INTO history_columns (run_pk, names, kinds) VALUES (?, ?, ?)").run(
      kept.run_pk,
      kept.names,
      kept.kinds,
    );
};

const results = { one: { csv: [], parquet: [] }, two: { csv: [], parquet: [] } };
const sums = { one: {}, two: {} };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? ["one", "two"] : ["two", "one"]) {
    setMode(mode);
    for (const format of ["csv", "parquet"]) {
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
  sums.one[format] === sums.two[format] && (base === null || baseMd5[format] === sums.one[format]);
const result = {
  bench: "paths-export-ab",
  rows: ROWS,
  rounds: ROUNDS,
  onePass: results.one,
  twoPass: results.two,
  md5: { onePass: sums.one, twoPass: sums.two, base: base === null ? null : baseMd5 },
  sameBytes: { csv: same("csv"), parquet: same("parquet") },
  load: { start: load0.map(round2), end: loadavg().map(round2) },
};
for (const format of ["csv", "parquet"])
  for (const mode of ["one", "two"])
    console.log(
      `${format.padEnd(8)} ${mode} pass: wall ${results[mode][format].map((r) => r.wallS).join(", ")} s; ` +
        `server CPU ${results[mode][format].map((r) => r.serverCpuS).join(", ")} s`,
    );
console.log(
  `same bytes: csv ${result.sameBytes.csv}, parquet ${result.sameBytes.parquet}; load ${result.load.start.join(" ")} → ${result.load.end.join(" ")}`,
);
console.log(JSON.stringify(result));
if (!result.sameBytes.csv || !result.sameBytes.parquet) process.exitCode = 1;
