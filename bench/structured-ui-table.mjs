// bench/structured-ui (d): a large table in the run page's table panel. The table is W&B's
// `{columns, data}` JSON uploaded as a run file with its `table-file` history value; the server
// stores it columnar. Measured in the page (performance.now() when the change is in the DOM):
// first rows after navigation, a sort click (by label), a filter, and a jump to the end of the
// scroll block.
/* global window, document, requestAnimationFrame, KeyboardEvent -- used inside page.evaluate */

const TABLE_KEY = "big";
const LABELS = ["cat", "dog", "bird", "fish"];

/** Uploads the table and waits until the server has stored it; returns the seconds taken. */
export async function fillTable(url, rows) {
  const base = `${url}/api/v1/runs/bench/structured/t1`;
  const post = async (batch) => {
    const response = await fetch(`${base}/ingest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    if (!response.ok) throw new Error(`ingest: HTTP ${response.status} ${await response.text()}`);
  };
  const t0 = Date.now();
  await post({ run: { name: "big-table" } });
  const parts = ['{"columns":["id","label","score","text"],"data":['];
  for (let i = 0; i < rows; i++) {
    const score = ((i * 7919) % rows) / rows;
    parts.push(`${i === 0 ? "" : ","}[${i},"${LABELS[i % 4]}",${score},"row ${i}"]`);
  }
  parts.push("]}");
  const body = Buffer.from(parts.join(""));
  const path = "media/table/big_0_bench.table.json";
  const put = await fetch(`${base}/files/${path}`, { method: "PUT", body });
  if (!put.ok) throw new Error(`PUT: HTTP ${put.status} ${await put.text()}`);
  const value = { _type: "table-file", path, size: body.length, ncols: 4, nrows: rows };
  await post({
    history: { offset: 0, rows: [{ _step: 0, [TABLE_KEY]: value }] },
    summary: { [TABLE_KEY]: value },
  });
  for (;;) {
    const tables = await (await fetch(`${base}/tables`)).json();
    const version = tables.tables?.find((t) => t.key === TABLE_KEY)?.versions?.[0];
    if (version?.state === "ready") break;
    if (version?.state === "invalid") throw new Error(`table invalid: ${version.problem}`);
    if (Date.now() - t0 > 600_000) throw new Error("the table was not stored within 10 minutes");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { seconds: (Date.now() - t0) / 1000, bytes: body.length };
}

/** In the page: window.__when(check) resolves with performance.now() once `check()` holds (checked every frame). */
function installWhen() {
  window.__when = (check) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const tick = () => {
        if (check()) resolve(performance.now());
        else if (performance.now() - started > 60_000) reject(new Error("timed out"));
        else requestAnimationFrame(tick);
      };
      tick();
    });
}

export async function measureBigTable(browser, url, rows, repeat) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(installWhen);
  const runs = [];
  for (let i = 0; i <= repeat; i++) {
    await page.goto(`${url}/bench/structured/runs/t1`);
    const firstRows = await page.evaluate(() =>
      window.__when(
        () =>
          document.querySelector('[data-testid="run-table"] [data-testid="table-row"][data-row-index]') !==
          null,
      ),
    );
    await page.locator('[data-testid="run-table"] [data-testid="table-grid"]').scrollIntoViewIfNeeded();
    // By label: the first row becomes a "bird" (row 2), so the change is visible.
    const sortMs = await page.evaluate(() => {
      const read = () =>
        document.querySelector('[data-testid="table-row"][data-row-index]')?.getAttribute("data-row-index");
      const before = read();
      const t0 = performance.now();
      document.querySelector('[data-testid="table-column"][data-column="label"]').click();
      return window.__when(() => read() !== before && read() != null).then((t) => t - t0);
    });
    const filter = page.locator('[data-testid="table-filter"]');
    await filter.fill('label = "cat" and score > 0.999');
    const filtered = await page.evaluate(() => {
      const count = () => document.querySelector('[data-testid="table-count"]')?.getAttribute("data-matched");
      const before = count();
      const input = document.querySelector('[data-testid="table-filter"]');
      const t0 = performance.now();
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      return window
        .__when(
          () =>
            count() !== before &&
            document.querySelector('[data-testid="table-row"][data-row-index]') !== null,
        )
        .then((t) => ({ ms: t - t0, matched: Number(count()) }));
    });
    await filter.fill("");
    await filter.press("Enter");
    await page.waitForFunction(
      (rows) =>
        document.querySelector('[data-testid="table-count"]')?.getAttribute("data-matched") === String(rows),
      rows,
    );
    const endMs = await page.evaluate(() => {
      const scroller = document.querySelector('[data-testid="table-grid"]');
      const t0 = performance.now();
      scroller.scrollTop = scroller.scrollHeight;
      return window
        .__when(() => {
          const last = [...document.querySelectorAll('[data-testid="table-row"]')].at(-1);
          return Number(last?.getAttribute("data-row-index") ?? -1) > 1000;
        })
        .then((t) => t - t0);
    });
    const rowsInDom = await page.locator('[data-testid="table-row"]').count();
    if (i > 0)
      runs.push({ firstRows, sortMs, filterMs: filtered.ms, matched: filtered.matched, endMs, rowsInDom });
  }
  await page.close();
  return runs;
}
