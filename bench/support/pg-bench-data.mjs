// The data sets of bench/postgres.mjs, written through the server's Store (applyBatch, as
// bench/query.mjs and bench/ui-keys-data.mjs do: the SDK would take far longer), so that both
// stores receive the same batches: one run with a long one-key series, and a project of many
// finished runs with a config and a summary each. Also the median timer the benches share.

const BATCH_ROWS = 10_000;
/** Runs created at once: the PostgreSQL store's pool holds 10 connections. */
const RUNS_IN_FLIGHT = 8;
const START = 1_763_700_000;

export const BIG_RUN = { entity: "bench", project: "query", runId: "big" };
export const RUNS_PROJECT = { entity: "bench", project: "runs" };

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const loss = (step) => Math.exp(-step / 1e6) + 0.01 * Math.sin(step);

/** One run with `points` rows of `{_step, loss}` in batches of 10,000 rows; returns seconds. */
export async function fillBigSeries(store, points) {
  const t0 = process.hrtime.bigint();
  for (let offset = 0; offset < points; offset += BATCH_ROWS) {
    const rows = [];
    for (let step = offset; step < Math.min(points, offset + BATCH_ROWS); step++)
      rows.push({ _step: step, loss: loss(step) });
    await store.applyBatch(BIG_RUN, { history: { offset, rows } }, Date.now() / 1000);
  }
  return seconds(t0);
}

const OPTIMIZERS = ["adam", "sgd", "adamw", "lion"];

/** Run `i` of the runs project: what a sweep logs (config of 8 keys, summary of 6). */
function runBatch(i) {
  const config = {
    lr: 10 ** -(2 + (i % 5)),
    batch_size: 2 ** (4 + (i % 6)),
    optimizer: OPTIMIZERS[i % OPTIMIZERS.length],
    model: { layers: 2 + (i % 24), width: 64 * (1 + (i % 8)), dropout: (i % 10) / 20 },
    seed: i,
    dataset: i % 3 === 0 ? "imagenet" : "cifar10",
  };
  const summary = {
    loss: 1 / (1 + (i % 997)) + (i % 7) * 0.01,
    acc: (i % 1000) / 1000,
    "val/loss": 1.5 / (1 + (i % 991)),
    _step: 1000 + (i % 50),
    _runtime: 60 + i,
    best: { epoch: i % 90, acc: (i % 1000) / 1000 },
  };
  return {
    run: {
      name: `sweep-${i}`,
      group: `g${i % 20}`,
      jobType: i % 2 === 0 ? "train" : "eval",
      tags: i % 5 === 0 ? ["baseline"] : ["sweep"],
      config,
      startTime: START + i,
    },
    summary,
    exit: { exitCode: i % 17 === 0 ? 1 : 0, runtime: 60 + i },
  };
}

/** `count` finished runs in RUNS_PROJECT, `RUNS_IN_FLIGHT` at a time; returns seconds. */
export async function fillRuns(store, count) {
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const ref = { ...RUNS_PROJECT, runId: `r${String(i).padStart(6, "0")}` };
      await store.applyBatch(ref, runBatch(i), START + i);
    }
  };
  await Promise.all(Array.from({ length: RUNS_IN_FLIGHT }, worker));
  return seconds(t0);
}

/** The listing requests the bench times: what the runs page asks first, and a filtered sort. */
export const LISTINGS = {
  // The runs page's first page (useRuns: FIRST_PAGE = 200, no filters, the default order).
  firstPage: { filters: [], limit: 200 },
  // …with the columns' `select` the workspace sends (a few config and summary paths).
  firstPageSelect: {
    filters: [],
    limit: 200,
    select: { config: ["lr", "optimizer", "model.layers"], summary: ["loss", "acc"] },
  },
  // Filtered on a config value and sorted by a summary metric (a quarter of the runs match).
  filteredSorted: {
    filters: [{ field: "config", path: "optimizer", op: "eq", value: "adam" }],
    order: { field: "summary", path: "loss", desc: false },
    limit: 200,
  },
};

/** Median milliseconds of `fn` over `repeat` runs, after one warm-up. */
export async function timeMs(fn, repeat = 7) {
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
