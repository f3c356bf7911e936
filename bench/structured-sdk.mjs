// bench/structured-sdk: the SDK's side of tables and histograms, on the training thread.
// A 100,000-row table (5 columns: int, float, string, boolean, null/number): building it with
// addData, then run.log() of it (typing is done, this is the JSON text of the file), then
// finish() (the media worker hashes and writes the file). A Histogram of 1,000,000 values
// (Float64Array and plain array), and run.log() of it. Offline run, medians of `repeats`.
// Prints the numbers and one JSON line. Usage: node bench/structured-sdk.mjs [rows=100000] [repeats=5]
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { Histogram, Table, init } from "@stepwise/sdk";

const rows = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 5);
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const build = [];
const log = [];
const finish = [];
let fileBytes = 0;
for (let r = 0; r < repeats; r++) {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
  const run = await init({ mode: "offline", dir, project: "bench", settings: { silent: true } });
  let t0 = process.hrtime.bigint();
  const table = new Table({ columns: ["step", "loss", "label", "correct", "extra"] });
  for (let i = 0; i < rows; i++)
    table.addData(
      i,
      Math.sin(i) * 0.5 + 1,
      i % 3 === 0 ? "cat" : "dog",
      i % 7 !== 0,
      i % 5 === 0 ? null : i * 0.25,
    );
  build.push(ms(t0));
  t0 = process.hrtime.bigint();
  run.log({ predictions: table });
  log.push(ms(t0));
  t0 = process.hrtime.bigint();
  await run.finish();
  finish.push(ms(t0));
  const tableDir = join(run.dir, "files", "media", "table");
  fileBytes = statSync(join(tableDir, readdirSync(tableDir)[0])).size;
  rmSync(dir, { recursive: true, force: true });
}

// finish() of the same offline run with nothing logged, to read the table's share of it.
const finishEmpty = [];
for (let r = 0; r < repeats; r++) {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
  const run = await init({ mode: "offline", dir, project: "bench", settings: { silent: true } });
  const t0 = process.hrtime.bigint();
  await run.finish();
  finishEmpty.push(ms(t0));
  rmSync(dir, { recursive: true, force: true });
}

const values = Float64Array.from({ length: 1_000_000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
const plain = Array.from(values);
const histTyped = [];
const histPlain = [];
const histLog = [];
const dir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
const run = await init({ mode: "offline", dir, project: "bench", settings: { silent: true } });
for (let r = 0; r < repeats; r++) {
  let t0 = process.hrtime.bigint();
  new Histogram(values);
  histTyped.push(ms(t0));
  t0 = process.hrtime.bigint();
  new Histogram(plain, { numBins: 512 });
  histPlain.push(ms(t0));
  t0 = process.hrtime.bigint();
  run.log({ weights: new Histogram(values) });
  histLog.push(ms(t0));
}
await run.finish();
rmSync(dir, { recursive: true, force: true });

const round = (x) => Number(x.toFixed(1));
const result = {
  bench: "structured-sdk",
  rows,
  repeats,
  tableBuildMs: round(median(build)),
  tableLogMs: round(median(log)),
  tableFinishMs: round(median(finish)),
  emptyRunFinishMs: round(median(finishEmpty)),
  tableFileMiB: Number((fileBytes / 2 ** 20).toFixed(2)),
  histogram1MFloat64Ms: round(median(histTyped)),
  histogram1MArray512BinsMs: round(median(histPlain)),
  histogram1MLogMs: round(median(histLog)),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
};
console.log(
  `table of ${rows.toLocaleString("en-US")} rows: addData ${result.tableBuildMs} ms, log() ${result.tableLogMs} ms, finish() ${result.tableFinishMs} ms (empty run: ${result.emptyRunFinishMs} ms; file ${result.tableFileMiB} MiB)`,
);
console.log(
  `Histogram of 1,000,000 values: Float64Array ${result.histogram1MFloat64Ms} ms, number[] 512 bins ${result.histogram1MArray512BinsMs} ms, constructed and logged ${result.histogram1MLogMs} ms`,
);
console.log(JSON.stringify(result));
