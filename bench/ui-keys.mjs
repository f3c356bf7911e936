// bench/ui: the many-keys cases (data: ui-keys-data.mjs), each timed in the page and watched by a
// long-task observer (every main-thread task over 50 ms, with its length):
// (c) a run with 1,000 keys: navigation → the first chart in view drawn (target ≤ 1 s), the
//     longest task from navigation until every chart in view is drawn and 1 s after (target
//     ≤ 200 ms); then a collapsed section opened (click → its first chart drawn) and a search
//     typed (→ only the matching charts left).
// (d) a run with 100,000 keys: navigation → the first chart drawn (the page open, ≤ 1 s) and a
//     search for a key past the first page (typed → its chart drawn, ≤ 1 s).
// (e) the run page of a run with 40,000 config and summary keys and a config key nested 2,000
//     deep: navigation → rows in both tables, a filter typed, the table scrolled to its end, the
//     deep key expanded 20 times (each click → the next level's row), and the longest task.
/* global window, document, requestAnimationFrame -- page code */
import { keysProject, TABLES_RUN } from "./ui-keys-data.mjs";

const REPEAT = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs in the page before its scripts: long tasks in window.__longTasks, [start, duration]. */
function watchLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
}

/** In the page: resolves with ms since `t0` once `done()` holds (checked every frame). */
function until(done, t0, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (done()) resolve(performance.now() - t0);
      else if (performance.now() - t0 > timeoutMs) reject(new Error(`not done within ${timeoutMs} ms`));
      else requestAnimationFrame(check);
    };
    check();
  });
}

/** The longest task that started at or after `from` (ms since navigation), 0 when none. */
const longestSince = (page, from) =>
  page.evaluate(
    (from) => Math.round(Math.max(0, ...window.__longTasks.filter(([s]) => s >= from).map(([, d]) => d))),
    from,
  );

async function openPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(watchLongTasks);
  return page;
}

/** Navigation → the first chart with points; then every chart in view drawn. */
async function loadCharts(page, url) {
  await page.goto(url);
  const first = await page.evaluate(
    `(${until})(() => Object.values(window.__stepwiseCharts ?? {}).some((c) => c.runs.some((r) => r.x.length > 0)), 0)`,
  );
  const all = await page.evaluate(`(${until})(() => {
    const inView = [...document.querySelectorAll('[data-testid="chart-slot"], [data-testid="chart"]')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight && r.width > 0;
    });
    return inView.length > 0 && inView.every((el) => (window.__stepwiseCharts ?? {})[el.getAttribute("data-key")]?.runs.length > 0);
  }, 0)`);
  return { first, all };
}

export async function measureThousandKeys(browser, url, count) {
  const page = await openPage(browser);
  const { entity, project } = keysProject(count);
  const loads = [];
  for (let i = 0; i <= REPEAT; i++) {
    const { first, all } = await loadCharts(page, `${url}/${entity}/${project}`);
    await page.waitForTimeout(1000);
    if (i > 0) loads.push({ first, all, longest: await longestSince(page, 0) });
  }
  const sections = await page.locator('[data-testid="panel-section"]').count();
  const open = await page.locator('[data-testid="panel-section"][data-open="true"]').count();
  // Open the 20th section (collapsed): click → its first chart drawn.
  await page.evaluate(() => document.querySelectorAll('[data-testid="panel-section"]')[20].scrollIntoView());
  await page.waitForTimeout(200);
  const t = await page.evaluate(() => performance.now());
  const expandMs = await page.evaluate(`(() => {
    const section = document.querySelectorAll('[data-testid="panel-section"]')[20];
    const t0 = performance.now();
    section.querySelector("button").click();
    const key = () => section.querySelector('[data-testid="chart-slot"], [data-testid="chart"]')?.getAttribute("data-key");
    return (${until})(() => key() !== undefined && (window.__stepwiseCharts ?? {})[key()]?.runs.length > 0, t0);
  })()`);
  const expandLongest = await longestSince(page, t);
  const searchMs = await typeSearch(page, "block7/m1", () => "block7/m1");
  const matching = await page.locator('[data-testid="chart-slot"], [data-testid="chart"]').count();
  await page.close();
  return {
    firstChartMs: Math.round(median(loads.map((l) => l.first))),
    firstChartRuns: loads.map((l) => Math.round(l.first)),
    allInViewMs: Math.round(median(loads.map((l) => l.all))),
    longestTaskMs: Math.max(...loads.map((l) => l.longest)),
    longestTaskRuns: loads.map((l) => l.longest),
    sections,
    openSections: open,
    expandSectionMs: Math.round(expandMs),
    expandLongestTaskMs: expandLongest,
    searchMs: Math.round(searchMs),
    searchMatches: matching,
  };
}

/** Types `text` into the metric search: ms from the typing to the chart of `key()` drawn. */
async function typeSearch(page, text, key) {
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="metric-search"]').fill(text);
  return page.evaluate(
    `(${until})(() => (window.__stepwiseCharts ?? {})[${JSON.stringify(key())}]?.runs.length > 0, ${t0})`,
  );
}

export async function measureHundredThousandKeys(browser, url, count) {
  const page = await openPage(browser);
  const { entity, project } = keysProject(count);
  const opens = [];
  const searches = [];
  for (let i = 0; i <= REPEAT; i++) {
    const { first } = await loadCharts(page, `${url}/${entity}/${project}`);
    // A key on the server's last page: the first 2,000 listed keys do not hold it.
    const search = await typeSearch(page, `block${999 - i}/m9`, () => `block${999 - i}/m9`);
    if (i === 0) continue; // warms the browser's cache
    opens.push(first);
    searches.push(search);
  }
  const longest = await longestSince(page, 0);
  await page.close();
  return {
    openMs: Math.round(median(opens)),
    openRuns: opens.map(Math.round),
    searchMs: Math.round(median(searches)),
    searchRuns: searches.map(Math.round),
    longestTaskMs: longest,
  };
}

export async function measureTables(browser, url) {
  const page = await openPage(browser);
  const { entity, project, runId } = TABLES_RUN;
  const rows = (table) =>
    `document.querySelectorAll('[data-testid="${table}"] [data-testid="kv-row"]').length`;
  const loads = [];
  for (let i = 0; i <= REPEAT; i++) {
    await page.goto(`${url}/${entity}/${project}/runs/${runId}`);
    const ms = await page.evaluate(
      `(${until})(() => ${rows("config-table")} > 0 && ${rows("summary-table")} > 0, 0)`,
    );
    await page.waitForTimeout(500);
    if (i > 0) loads.push({ ms, longest: await longestSince(page, 0) });
  }
  const t = await page.evaluate(() => performance.now());
  const filter = page.locator('[data-testid="config-table-filter"]');
  await filter.fill("param3999");
  const filterMs = await page.evaluate(
    `(${until})(() => ${rows("config-table")} === 11, ${t})`, // param3999 and param39990–39999
  );
  await filter.fill("");
  const scrollMs = await page.evaluate(`(async () => {
    const box = document.querySelector('[data-testid="config-table"]').parentElement;
    await (${until})(() => box.scrollHeight > 100000, 0);
    const t0 = performance.now();
    box.scrollTop = box.scrollHeight;
    const last = () => [...box.querySelectorAll('[data-testid="kv-row"]')].pop()?.dataset.key ?? "";
    return (${until})(() => last().endsWith("param39999"), t0);
  })()`);
  // Rows the filter matched (the DOM holds only those in view): the table's aria-rowcount.
  const matched = `Number(document.querySelector('[data-testid="config-table"]').getAttribute("aria-rowcount"))`;
  await filter.fill("deep.");
  const expandMs = [];
  for (let level = 0; level < 20; level++) {
    await page.evaluate(`(${until})(() => document.querySelector('[data-testid="kv-expand"]') !== null, 0)`);
    const before = await page.evaluate(matched);
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="config-table"] [data-testid="kv-expand"]').first().click();
    expandMs.push(await page.evaluate(`(${until})(() => ${matched} > ${before}, ${t0})`));
  }
  // The deepest row listed: its dotted key's length in segments.
  const depth = await page.evaluate(() =>
    Math.max(
      ...[...document.querySelectorAll('[data-testid="kv-row"]')].map((r) => r.dataset.key.split(".").length),
    ),
  );
  const longest = await longestSince(page, t);
  await page.close();
  return {
    firstRowsMs: Math.round(median(loads.map((l) => l.ms))),
    loadLongestTaskMs: Math.max(...loads.map((l) => l.longest)),
    filterMs: Math.round(filterMs),
    scrollToEndMs: Math.round(scrollMs),
    expandMedianMs: Math.round(median(expandMs)),
    expandedDepth: depth,
    interactLongestTaskMs: longest,
  };
}
