// bench/ui: the web UI in Debian's Chromium (playwright-core) against `stepwise server` on a
// prepared data directory. (a) A project with `tableRuns` runs: the runs table's first render
// (navigation start → first rows in the DOM, target ≤ 300 ms) and a sort (header click → the
// re-sorted first row, target ≤ 100 ms). (b) A workspace with `chartRuns` runs × `metrics`
// metrics × `steps` steps: every chart in view drawn for all runs (navigation start → the last
// one registered in window.__stepwiseCharts, target ≤ 1 s).
// The data (100M points by default) is written through the server's Store (applyBatch, ~1.2M
// points/s; the SDK would take minutes) into .tmp/bench-ui-data-<sizes>, kept between runs.
// (c)–(e) (bench/ui-keys.mjs): runs with 1,000 and 100,000 metric keys, and the run page's tables
// at 40,000 keys and 2,000 levels deep, on their own data directory (~10 s to fill).
// Build first (`npm run build`). Prints numbers and one JSON line.
// Usage: node bench/ui.mjs [--keys-only] [tableRuns=10000] [chartRuns=50] [metrics=20] [steps=100000]
/* global window, document, innerHeight, requestAnimationFrame -- used inside page.evaluate / init scripts */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { openSqliteStore } from "../packages/server/dist/store/sqlite/open-sqlite-store.js";
import { measureHundredThousandKeys, measureTables, measureThousandKeys } from "./ui-keys.mjs";
import { prepareKeysData } from "./ui-keys-data.mjs";
import { startServer } from "./support/server-process.mjs";

/** `--keys-only`: cases (c)–(e) alone, without the 6-minute fill of (a) and (b). */
const keysOnly = process.argv.includes("--keys-only");
const sizes = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const [tableRuns, chartRuns, metrics, steps] = [10_000, 50, 20, 100_000].map((d, i) => Number(sizes[i] ?? d));
const KEYS_DATA = { counts: [1_000, 100_000], steps: [500, 3], tableKeys: 40_000, depth: 2_000 };
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dataDir = join(ROOT, ".tmp", `bench-ui-data-${tableRuns}-${chartRuns}x${metrics}x${steps}`);
const REPEAT = 5;
const BATCH_ROWS = 5_000;
const START = 1_763_700_000;
const metricKey = (m) => `${m < metrics / 2 ? "train" : "val"}/metric${m}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes both projects through the Store unless a finished earlier fill is there. */
async function prepareData() {
  if (existsSync(join(dataDir, "ready"))) return 0;
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const t0 = Date.now();
  const store = await openSqliteStore(join(dataDir, "stepwise.db"));
  const now = Date.now() / 1000;
  for (let r = 0; r < tableRuns; r++) {
    const name = `run-${String(r).padStart(5, "0")}`;
    await store.applyBatch(
      { entity: "bench", project: "table", runId: `t${r}` },
      {
        run: {
          name,
          group: `g${r % 10}`,
          tags: r % 3 === 0 ? ["tagged"] : [],
          config: { lr: 1e-4 * (1 + (r % 97)), batch: 32 },
          startTime: START + r,
        },
        summary: { "val/acc": ((r * 7919) % 1000) / 1000, loss: 1 / (r + 1) },
        exit: { exitCode: 0, runtime: 60 + (r % 600) },
      },
      now,
    );
  }
  for (let r = 0; r < chartRuns; r++) {
    const ref = { entity: "bench", project: "charts", runId: `c${r}` };
    const value = (m, step) => (1 + r / chartRuns) / (1 + step / 1000) + 0.01 * Math.sin(step / 10 + m);
    await store.applyBatch(
      ref,
      { run: { name: `chart-run-${r}`, config: { seed: r }, startTime: START + r } },
      now,
    );
    for (let offset = 0; offset < steps; offset += BATCH_ROWS) {
      const rows = [];
      for (let step = offset; step < Math.min(steps, offset + BATCH_ROWS); step++) {
        const row = { _step: step, _runtime: step / 100, _timestamp: START + r + step / 100 };
        for (let m = 0; m < metrics; m++) row[metricKey(m)] = value(m, step);
        rows.push(row);
      }
      await store.applyBatch(ref, { history: { offset, rows } }, now);
    }
    const summary = {
      _step: steps - 1,
      _runtime: (steps - 1) / 100,
      _timestamp: START + r + (steps - 1) / 100,
    };
    for (let m = 0; m < metrics; m++) summary[metricKey(m)] = value(m, steps - 1);
    await store.applyBatch(ref, { summary, exit: { exitCode: 0, runtime: steps / 100 } }, now);
    process.stderr.write(`\rfilling: chart run ${r + 1}/${chartRuns}`);
  }
  process.stderr.write("\n");
  await store.close();
  writeFileSync(join(dataDir, "ready"), "");
  return (Date.now() - t0) / 1000;
}

// Runs in the page before its scripts: records when the first run rows appear and when every
// chart in view has drawn all its runs (performance.now() = ms since navigation start), and for
// each, where the time went: when the app's script had loaded, when the last API response so far
// had arrived, and how many API requests there were.
function probe(expectedRuns) {
  const breakdown = () => {
    const entries = performance.getEntriesByType("resource");
    const end = (pick) => Math.round(Math.max(0, ...entries.filter(pick).map((e) => e.responseEnd)));
    return {
      scriptMs: end((e) => e.name.endsWith(".js")),
      lastApiMs: end((e) => e.name.includes("/api/")),
      apiRequests: entries.filter((e) => e.name.includes("/api/")).length,
    };
  };
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.width > 0;
  };
  const tick = () => {
    if (window.__rowsAt === undefined && document.querySelector('[data-testid="run-row"]')) {
      window.__rowsAt = performance.now();
      window.__rowsBreakdown = breakdown();
    }
    const charts = [...document.querySelectorAll('[data-testid="chart"]')].filter(inView);
    const registry = window.__stepwiseCharts ?? {};
    const drawn = (el) =>
      (registry[el.getAttribute("data-key")]?.runs ?? []).filter((r) => r.x.length > 0).length >=
      expectedRuns;
    if (window.__chartsAt === undefined && charts.length > 0 && charts.every(drawn)) {
      window.__chartsAt = performance.now();
      window.__chartsInView = charts.length;
      window.__chartsBreakdown = breakdown();
    }
    if (window.__rowsAt === undefined || window.__chartsAt === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function measureTable(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(probe, Number.MAX_SAFE_INTEGER);
  const loads = [];
  for (let i = 0; i <= REPEAT; i++) {
    await page.goto(`${url}/bench/table`);
    await page.waitForFunction(() => window.__rowsAt !== undefined, null, { timeout: 30_000 });
    // i = 0 warms the browser's cache.
    if (i > 0)
      loads.push(await page.evaluate(() => ({ ms: window.__rowsAt, breakdown: window.__rowsBreakdown })));
  }
  const sort = [];
  const header = '[data-testid="col-header"][data-col="name"]';
  await page.waitForSelector(header);
  for (let i = 0; i <= REPEAT; i++) {
    const ms = await page.evaluate((header) => {
      const firstName = () =>
        document.querySelector('[data-testid="run-row"] [data-testid="run-name"]')?.textContent;
      const before = firstName();
      const t0 = performance.now();
      document.querySelector(header).click();
      return new Promise((resolve, reject) => {
        const check = () =>
          firstName() !== before ? resolve(performance.now() - t0) : requestAnimationFrame(check);
        check();
        setTimeout(
          () => reject(new Error("the first row did not change within 10 s of the sort click")),
          10_000,
        );
      });
    }, header);
    if (i > 0) sort.push(ms);
  }
  const rowsInDom = await page.locator('[data-testid="run-row"]').count();
  await page.close();
  return { firstRender: loads.map((l) => l.ms), sort, rowsInDom, breakdown: medianLoad(loads).breakdown };
}

async function measureCharts(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(probe, chartRuns);
  const loads = [];
  let inView = 0;
  for (let i = 0; i <= REPEAT; i++) {
    await page.goto(`${url}/bench/charts`);
    await page.waitForFunction(() => window.__chartsAt !== undefined, null, { timeout: 60_000 });
    inView = await page.evaluate(() => window.__chartsInView);
    if (i > 0)
      loads.push(await page.evaluate(() => ({ ms: window.__chartsAt, breakdown: window.__chartsBreakdown })));
  }
  await page.close();
  return { times: loads.map((l) => l.ms), inView, breakdown: medianLoad(loads).breakdown };
}

/** The load with the median time, for its breakdown. */
function medianLoad(loads) {
  return [...loads].sort((a, b) => a.ms - b.ms)[Math.floor(loads.length / 2)];
}

const fillS = keysOnly ? 0 : await prepareData();
const keysData = await prepareKeysData(ROOT, KEYS_DATA);
const browser = await chromium.launch({
  executablePath: process.env.STEPWISE_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  headless: true,
});
try {
  const browserVersion = execFileSync("/usr/bin/chromium", ["--version"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${String(browserVersion).trim()}`;
  const result = { bench: "ui" };
  if (!keysOnly) Object.assign(result, await measureTableAndCharts(fillS));
  const keysServer = await startServer(keysData.dataDir);
  try {
    const [thousand, hundredThousand] = KEYS_DATA.counts;
    const keys1k = await measureThousandKeys(browser, keysServer.url, thousand);
    const keys100k = await measureHundredThousandKeys(browser, keysServer.url, hundredThousand);
    const tables = await measureTables(browser, keysServer.url);
    console.log(
      `(c) ${thousand} keys: first chart ${keys1k.firstChartMs} ms median [${keys1k.firstChartRuns.join(", ")}] (target ≤ 1000), ` +
        `longest task ${keys1k.longestTaskMs} ms [${keys1k.longestTaskRuns.join(", ")}] (target ≤ 200); ` +
        `${keys1k.openSections} of ${keys1k.sections} sections open; a section opened in ${keys1k.expandSectionMs} ms, ` +
        `a search in ${keys1k.searchMs} ms (${keys1k.searchMatches} charts)`,
    );
    console.log(
      `(d) ${hundredThousand} keys: page open (first chart) ${keys100k.openMs} ms [${keys100k.openRuns.join(", ")}], ` +
        `search ${keys100k.searchMs} ms [${keys100k.searchRuns.join(", ")}] (targets ≤ 1000), longest task ${keys100k.longestTaskMs} ms`,
    );
    console.log(
      `(e) run page, ${KEYS_DATA.tableKeys} keys, ${KEYS_DATA.depth} deep: rows in ${tables.firstRowsMs} ms (longest task ${tables.loadLongestTaskMs} ms), ` +
        `filter ${tables.filterMs} ms, scroll to the end ${tables.scrollToEndMs} ms, expand ${tables.expandMedianMs} ms median ` +
        `(to ${tables.expandedDepth} levels), longest task while used ${tables.interactLongestTaskMs} ms`,
    );
    Object.assign(result, { keys1k, keys100k, tables, keysFillSeconds: keysData.fillSeconds || null });
  } finally {
    await keysServer.stop();
  }
  console.log(JSON.stringify({ ...result, machine }));
} finally {
  await browser.close();
}

/** Cases (a) and (b) on their own server; prints their lines and returns their numbers. */
async function measureTableAndCharts(fillS) {
  const server = await startServer(dataDir);
  try {
    const table = await measureTable(browser, server.url);
    const charts = await measureCharts(browser, server.url);
    const result = {
      tableRuns,
      tableFirstRenderMs: Math.round(median(table.firstRender)),
      tableSortMs: Math.round(median(table.sort)),
      tableRowsInDom: table.rowsInDom,
      chartRuns,
      metrics,
      steps,
      chartsInView: charts.inView,
      chartsRenderedMs: Math.round(median(charts.times)),
      tableBreakdown: table.breakdown,
      chartsBreakdown: charts.breakdown,
      fillSeconds: fillS === 0 ? null : Number(fillS.toFixed(1)), // null: the data was there already
    };
    const list = (xs) => xs.map((x) => Math.round(x)).join(", ");
    console.log(
      `table first render (${tableRuns} runs)   ${result.tableFirstRenderMs} ms median [${list(table.firstRender)}] (target ≤ 300)`,
    );
    console.log(
      `table sort by name                 ${result.tableSortMs} ms median [${list(table.sort)}] (target ≤ 100)`,
    );
    console.log(`rows in the DOM (virtualised)      ${table.rowsInDom}`);
    console.log(
      `charts in view drawn (${chartRuns} runs × ${metrics} metrics × ${steps} steps, ${charts.inView} in view)  ${result.chartsRenderedMs} ms median [${list(charts.times)}] (target ≤ 1000)`,
    );
    const parts = (b) =>
      `script at ${b.scriptMs} ms, last of ${b.apiRequests} API responses at ${b.lastApiMs} ms`;
    console.log(`  table (median load): ${parts(table.breakdown)}; charts: ${parts(charts.breakdown)}`);
    return result;
  } finally {
    await server.stop();
  }
}
