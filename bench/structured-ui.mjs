// bench/structured-ui: the UI half of bench/structured, in Debian's Chromium (playwright-core)
// against `stepwise server` on a fresh temp data directory. One run logs a histogram key at
// `steps` steps × `bins` bins (W&B's `{"_type":"histogram","values","bins"}` history value, sent
// through the ingest route). Measured, `REPEAT` times each after a warm-up load:
//   (a) the run page opened → the heatmap drawn (navigation start → its draw registered in
//       window.__stepwiseHeatmaps; the server's heatmap query included), target ≤ 300 ms;
//   (b) the draw itself: rasterising the cells and painting them (paintMs of that draw);
//   (c) a zoom: a drag across a tenth of the steps → the finer heatmap drawn;
//   (d) a table of `tableRows` rows (W&B's `{columns, data}` file, uploaded as a run file): the
//       run page opened → its first rows shown, a sort click → the first rows re-sorted, a
//       filter → the matching rows shown, and a jump to the last rows of the scroll block.
// Build first (`npm run build`). Prints numbers and one JSON line.
// (c) waits for the zoomed answer (its first column inside the zoom), not the first redraw of
// the old columns on the zoomed scale.
// Usage: node bench/structured-ui.mjs [steps=10000] [bins=64] [tableRows=1000000]
/* global window -- used inside page.evaluate */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { fillTable, measureBigTable } from "./structured-ui-table.mjs";
import { startServer } from "./support/server-process.mjs";

const [steps, bins, tableRows] = [10_000, 64, 1_000_000].map((d, i) => Number(process.argv[2 + i] ?? d));
const REPEAT = 5;
const ROWS_PER_BATCH = 1_000;
const KEY = "weights/layer1";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A histogram whose centre drifts with the step, so the heatmap has a visible shape. */
function histogramAt(step) {
  const edges = Array.from({ length: bins + 1 }, (_, i) => -4 + (8 * i) / bins);
  const centre = Math.sin(step / 500);
  const values = Array.from({ length: bins }, (_, i) => {
    const mid = (edges[i] + edges[i + 1]) / 2;
    return Math.round(1000 * Math.exp(-((mid - centre) ** 2) / 2));
  });
  return { _type: "histogram", values, bins: edges };
}

async function fill(url) {
  const t0 = Date.now();
  const endpoint = `${url}/api/v1/runs/bench/structured/h1/ingest`;
  const post = async (batch) => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    if (!response.ok) throw new Error(`ingest: HTTP ${response.status} ${await response.text()}`);
  };
  await post({ run: { name: "histograms", config: { bins } } });
  for (let offset = 0; offset < steps; offset += ROWS_PER_BATCH) {
    const rows = [];
    for (let step = offset; step < Math.min(steps, offset + ROWS_PER_BATCH); step++)
      rows.push({ _step: step, [KEY]: histogramAt(step) });
    await post({ history: { offset, rows } });
  }
  await post({
    summary: { [KEY]: histogramAt(steps - 1), _step: steps - 1 },
    exit: { exitCode: 0, runtime: 1 },
  });
  return (Date.now() - t0) / 1000;
}

async function measure(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const id = `${KEY}|h1`;
  const loads = [];
  for (let i = 0; i <= REPEAT; i++) {
    await page.goto(`${url}/bench/structured/runs/h1`);
    await page
      .locator(`[data-testid="histogram-panel"][data-key="${KEY}"]`)
      .scrollIntoViewIfNeeded({ timeout: 30_000 });
    await page.waitForFunction((id) => (window.__stepwiseHeatmaps?.[id]?.frames ?? 0) > 0, id, {
      timeout: 30_000,
    });
    const drawn = await page.evaluate((id) => {
      const entry = window.__stepwiseHeatmaps[id];
      const query = performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("/histograms/query"))
        .at(-1);
      return {
        ms: entry.drawnAt,
        paintMs: entry.paintMs,
        frames: entry.frames,
        bins: entry.bins,
        queryStart: query?.startTime ?? Number.NaN,
        queryMs: query === undefined ? Number.NaN : query.responseEnd - query.startTime,
      };
    }, id);
    if (i > 0) loads.push(drawn);
  }
  // (c) zoom: drag across a tenth of the plot.
  const zooms = [];
  for (let i = 0; i <= REPEAT; i++) {
    await page.goto(`${url}/bench/structured/runs/h1`);
    const over = page.locator(`[data-heatmap-id="${id}"] .u-over`);
    await over.scrollIntoViewIfNeeded({ timeout: 30_000 });
    await page.waitForFunction((id) => (window.__stepwiseHeatmaps?.[id]?.frames ?? 0) > 0, id);
    const box = await over.boundingBox();
    const before = await page.evaluate((id) => {
      const entry = window.__stepwiseHeatmaps[id];
      return { drawnAt: entry.drawnAt, width: entry.xRange[1] - entry.xRange[0] };
    }, id);
    const t0 = await page.evaluate(() => performance.now());
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    // Drawn with the zoomed range and the finer columns the server sent for it.
    await page.waitForFunction(
      ({ id, before }) => {
        const entry = window.__stepwiseHeatmaps?.[id];
        return (
          entry !== undefined &&
          entry.drawnAt > before.drawnAt &&
          entry.xRange[1] - entry.xRange[0] < before.width * 0.2 &&
          entry.firstX > 0
        );
      },
      { id, before },
      { timeout: 30_000 },
    );
    const after = await page.evaluate((id) => window.__stepwiseHeatmaps[id], id);
    if (i > 0) zooms.push({ ms: after.drawnAt - t0, frames: after.frames, paintMs: after.paintMs });
  }
  await page.close();
  return { loads, zooms };
}

const dataDir = mkdtempSync(join(tmpdir(), "stepwise-bench-structured-ui-"));
const server = await startServer(dataDir);
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
  const fillSeconds = await fill(server.url);
  const { loads, zooms } = await measure(browser, server.url);
  const table = tableRows > 0 ? await fillTable(server.url, tableRows) : null;
  const tableRuns = table === null ? [] : await measureBigTable(browser, server.url, tableRows, 3);
  const version = String(
    execFileSync("/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }),
  ).trim();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${version}`;
  const list = (xs) => xs.map((x) => Math.round(x)).join(", ");
  const result = {
    bench: "structured-ui",
    steps,
    bins,
    heatmapOpenMs: Math.round(median(loads.map((l) => l.ms))),
    heatmapPaintMs: Number(median(loads.map((l) => l.paintMs)).toFixed(1)),
    heatmapQueryToDrawnMs: Math.round(median(loads.map((l) => l.ms - l.queryStart))),
    heatmapQueryMs: Math.round(median(loads.map((l) => l.queryMs))),
    heatmapColumns: loads[0]?.frames,
    zoomMs: Math.round(median(zooms.map((z) => z.ms))),
    zoomColumns: zooms[0]?.frames,
    fillSeconds: Number(fillSeconds.toFixed(1)),
    tableRows,
    tableStoredSeconds: table === null ? null : Number(table.seconds.toFixed(1)),
    tableFirstRowsMs: tableRuns.length === 0 ? null : Math.round(median(tableRuns.map((r) => r.firstRows))),
    tableSortMs: tableRuns.length === 0 ? null : Math.round(median(tableRuns.map((r) => r.sortMs))),
    tableFilterMs: tableRuns.length === 0 ? null : Math.round(median(tableRuns.map((r) => r.filterMs))),
    tableFilterMatched: tableRuns[0]?.matched ?? null,
    tableScrollEndMs: tableRuns.length === 0 ? null : Math.round(median(tableRuns.map((r) => r.endMs))),
    tableRowsInDom: tableRuns[0]?.rowsInDom ?? null,
    machine,
  };
  console.log(`filled ${steps} steps × ${bins} bins through ingest in ${result.fillSeconds} s`);
  console.log(
    `(a) run page → heatmap drawn  ${result.heatmapOpenMs} ms median [${list(loads.map((l) => l.ms))}] (target ≤ 300), ${result.heatmapColumns} columns`,
  );
  console.log(
    `    of which the heatmap query sent → drawn ${result.heatmapQueryToDrawnMs} ms median [${list(loads.map((l) => l.ms - l.queryStart))}] (the server's answer ${result.heatmapQueryMs} ms)`,
  );
  console.log(
    `(b) raster + paint            ${result.heatmapPaintMs} ms median [${loads.map((l) => l.paintMs.toFixed(1)).join(", ")}]`,
  );
  console.log(
    `(c) zoom to a tenth → drawn   ${result.zoomMs} ms median [${list(zooms.map((z) => z.ms))}], ${result.zoomColumns} columns`,
  );
  if (table !== null) {
    const at = (pick) => list(tableRuns.map(pick));
    console.log(
      `(d) ${tableRows} rows (${(table.bytes / 2 ** 20).toFixed(0)} MiB of JSON, stored in ${result.tableStoredSeconds} s): first rows ${result.tableFirstRowsMs} ms [${at((r) => r.firstRows)}], ` +
        `sort ${result.tableSortMs} ms [${at((r) => r.sortMs)}], filter ${result.tableFilterMs} ms [${at((r) => r.filterMs)}] (${result.tableFilterMatched} rows), ` +
        `to the end of the block ${result.tableScrollEndMs} ms [${at((r) => r.endMs)}], ${result.tableRowsInDom} rows in the DOM`,
    );
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
