// bench/ui: the many-keys data sets. One finished run in project `bench/keys<count>` with `count`
// metric keys named `block<s>/m<k>` (25 keys per section at 1,000 keys, 100 per section beyond),
// `steps` history rows each, its config and summary of the same size; and a run whose config and
// summary hold 40,000 keys and a config key nested 2,000 deep. Written through the server's Store
// (applyBatch; the SDK would take far longer) into .tmp/bench-ui-keys-<sizes>, kept between runs.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteStore } from "../packages/server/dist/store/sqlite/open-sqlite-store.js";

const START = 1_763_700_000;
/** History rows per applyBatch: ~1M points per batch at 100,000 keys keeps memory bounded. */
const ROWS_PER_BATCH = (count) => Math.max(1, Math.floor(1_000_000 / count));

export function keysProject(count) {
  return { entity: "bench", project: `keys${count}`, runId: `k${count}` };
}

/** The key of metric `i` among `count`: sections of 25 keys up to 1,000 keys, of 100 beyond. */
export function manyKey(i, count) {
  const perSection = count <= 1_000 ? 25 : 100;
  return `block${Math.floor(i / perSection)}/m${i % perSection}`;
}

/** A value that differs per key and step, so every chart has a line. */
const value = (i, step) => 1 / (1 + step / 100) + 0.001 * i + 0.01 * Math.sin(step / 7 + i);

/** A config nested `depth` levels deep: `{level0: {level1: {… {leaf: 1}}}}`. */
export function deepConfig(depth) {
  let node = { leaf: 1 };
  for (let level = depth - 1; level >= 0; level--) node = { [`level${level}`]: node, [`x${level}`]: level };
  return node;
}

/** One run with `count` keys, `steps` rows; its config and summary hold every key too. */
async function writeKeysRun(store, count, steps, now) {
  const ref = keysProject(count);
  const keys = Array.from({ length: count }, (_, i) => manyKey(i, count));
  const config = Object.fromEntries(keys.map((key, i) => [key.replace("/", "_"), i]));
  await store.applyBatch(ref, { run: { name: `keys-${count}`, config, startTime: START } }, now);
  const perBatch = ROWS_PER_BATCH(count);
  for (let offset = 0; offset < steps; offset += perBatch) {
    const rows = [];
    for (let step = offset; step < Math.min(steps, offset + perBatch); step++) {
      const row = { _step: step, _runtime: step / 10, _timestamp: START + step / 10 };
      keys.forEach((key, i) => (row[key] = value(i, step)));
      rows.push(row);
    }
    await store.applyBatch(ref, { history: { offset, rows } }, now);
  }
  const summary = { _step: steps - 1, _runtime: (steps - 1) / 10, _timestamp: START + (steps - 1) / 10 };
  keys.forEach((key, i) => (summary[key] = value(i, steps - 1)));
  await store.applyBatch(ref, { summary, exit: { exitCode: 0, runtime: steps / 10 } }, now);
}

/** The run page's tables: `tableKeys` config and summary keys, and a config key nested `depth` deep. */
export const TABLES_RUN = { entity: "bench", project: "tables", runId: "tables" };

async function writeTablesRun(store, tableKeys, depth, now) {
  const config = {};
  const summary = {};
  for (let i = 0; i < tableKeys; i++) {
    config[`group${i % 200}.param${i}`] = i; // flat keys with a dot: escaped `group1\.param1`
    summary[`eval/metric${i}`] = value(i, 1);
  }
  config["deep"] = deepConfig(depth);
  await store.applyBatch(TABLES_RUN, { run: { name: "tables", config, startTime: START } }, now);
  await store.applyBatch(TABLES_RUN, { summary, exit: { exitCode: 0, runtime: 1 } }, now);
}

/**
 * Fills .tmp/bench-ui-keys-<sizes> unless a finished earlier fill is there: the runs with
 * `counts` keys (`steps[i]` rows each) and the tables run. Returns the directory and the
 * seconds it took (0: cached).
 */
export async function prepareKeysData(root, { counts, steps, tableKeys, depth }) {
  const name = `bench-ui-keys-${counts.map((c, i) => `${c}x${steps[i]}`).join("-")}-t${tableKeys}-d${depth}`;
  const dataDir = join(root, ".tmp", name);
  if (existsSync(join(dataDir, "ready"))) return { dataDir, fillSeconds: 0 };
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const t0 = Date.now();
  const store = await openSqliteStore(join(dataDir, "stepwise.db"));
  const now = Date.now() / 1000;
  for (let i = 0; i < counts.length; i++) await writeKeysRun(store, counts[i], steps[i], now);
  await writeTablesRun(store, tableKeys, depth, now);
  await store.close();
  writeFileSync(join(dataDir, "ready"), "");
  return { dataDir, fillSeconds: (Date.now() - t0) / 1000 };
}
