// bench/media-ui: the media panel in Debian's Chromium (playwright-core) against `stepwise
// server`: 20 runs × 200 steps × 8 images (an `images/separated` list of 8 distinct 64×64 PNGs
// per step, W&B's JSON, every file uploaded through the file route).
// (a) Time to first images: navigation start → the first image of the panel drawn, and → every
//     image in view drawn (target ≤ 1 s).
// (b) The next step after a slider move: an arrow key on the panel (the next position, fetched
//     ahead) and a jump of the slider to a random position (nothing fetched ahead) → every image
//     in view showing the new step (target ≤ 150 ms). p50 / p99 over the moves. For the jumps, the
//     medians of where the time went (resource timing): the media index's answer, the image files
//     (first sent, last in, the longest wait for one of the browser's 6 connections), the media
//     files batches (POST /media/:entity/:project/files: how many, first sent, last in), all drawn.
// The data is written into .tmp/bench-media-ui-<runs>x<steps>x<images> through the HTTP API and
// kept between runs. Build first (`npm run build`). Prints numbers and one JSON line.
// Usage: node bench/media-ui.mjs [--quick]   (quick: 5 runs × 50 steps)
/* global document, requestAnimationFrame, innerHeight, HTMLInputElement -- used inside page.evaluate */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startServer } from "./support/server-process.mjs";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 5 : 20;
const STEPS = quick ? 50 : 200;
const IMAGES = 8;
const SIDE = 64;
const MOVES = 30;
/** Between arrow presses, as a person stepping through images (a held key repeats every ~33 ms). */
const PAUSE_MS = 300;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dataDir = join(ROOT, ".tmp", `bench-media-ui-${RUNS}x${STEPS}x${IMAGES}`);
const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
};

/** A 64×64 RGB PNG, different for every (run, step, image). */
function png(r, step, i) {
  const raw = Buffer.alloc((SIDE * 3 + 1) * SIDE);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const o = y * (SIDE * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 4 + step) & 255;
      raw[o + 1] = (y * 4 + r * 12) & 255;
      raw[o + 2] = (i * 32 + x * y) & 255;
    }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIDE, 0);
  ihdr.writeUInt32BE(SIDE, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function inParallel(items, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Logs the runs through the ingest and file routes unless an earlier fill finished. */
async function fill(base) {
  const t0 = performance.now();
  for (let r = 0; r < RUNS; r++) {
    const run = `run-${String(r).padStart(2, "0")}`;
    const puts = [];
    for (let from = 0; from < STEPS; from += 50) {
      const rows = [];
      for (let step = from; step < Math.min(STEPS, from + 50); step++) {
        const filenames = [];
        for (let i = 0; i < IMAGES; i++) {
          const bytes = png(r, step, i);
          const path = `media/images/preds_${step}_${sha256(bytes).slice(0, 20)}.png`;
          filenames.push(path);
          puts.push([path, bytes]);
        }
        rows.push({
          _step: step,
          loss: 1 / (step + 1),
          preds: {
            _type: "images/separated",
            width: SIDE,
            height: SIDE,
            format: "png",
            count: IMAGES,
            filenames,
          },
        });
      }
      const last = rows.at(-1);
      const body = { history: { offset: from, rows }, summary: last };
      if (from + 50 >= STEPS) Object.assign(body, { run: { name: run }, exit: { exitCode: 0, runtime: 60 } });
      const res = await fetch(`${base}/runs/bench/media-ui/${run}/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`);
    }
    await inParallel(puts, 16, async ([path, body]) => {
      const res = await fetch(`${base}/runs/bench/media-ui/${run}/files/${path}`, {
        method: "PUT",
        headers: { "content-type": "image/png" },
        body,
      });
      if (res.status !== 201) throw new Error(`PUT ${res.status}`);
      await res.arrayBuffer();
    });
    process.stderr.write(`\rfilling: run ${r + 1}/${RUNS}`);
  }
  process.stderr.write("\n");
  return (performance.now() - t0) / 1000;
}

/** In the page: waits until every image canvas of the panel in view shows `step`; resolves ms since `t0`. */
function drawnAt({ step, t0 }) {
  const panel = document.querySelector('[data-testid="media-panel"][data-key="preds"]');
  return new Promise((resolve, reject) => {
    const check = () => {
      const runs = [...(panel?.querySelectorAll('[data-testid="media-run"]') ?? [])];
      const canvases = [...(panel?.querySelectorAll('canvas[data-testid="media-image"]') ?? [])].filter(
        (c) => {
          const r = c.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        },
      );
      const ok =
        runs.length > 0 &&
        runs.every((run) => run.getAttribute("data-step") === String(step)) &&
        canvases.length > 0 &&
        canvases.every((c) => c.dataset.ready === "true" && c.dataset.drawn === c.dataset.path);
      if (ok) resolve({ ms: performance.now() - t0, inView: canvases.length });
      else requestAnimationFrame(check);
    };
    check();
    setTimeout(() => reject(new Error(`step ${step} not drawn within 20 s`)), 20_000);
  });
}

async function measure(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const loads = [];
  let inView = 0;
  for (let i = 0; i <= 5; i++) {
    await page.goto(`${url}/bench/media-ui`);
    const first = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const check = () =>
            document.querySelector('canvas[data-testid="media-image"][data-ready="true"]')
              ? resolve(performance.now())
              : requestAnimationFrame(check);
          check();
        }),
    );
    const all = await page.evaluate(drawnAt, { step: STEPS - 1, t0: 0 });
    inView = all.inView;
    if (i > 0) loads.push({ first, all: all.ms }); // i = 0 warms the browser's cache of the app's scripts
  }
  const panel = page.locator('[data-testid="media-panel"][data-key="preds"]');
  await panel.focus();
  const arrows = [];
  for (let i = 0; i < MOVES; i++) {
    const step = STEPS - 2 - i;
    // A person steps a few times a second: the step ahead has been fetched by then.
    await page.waitForTimeout(PAUSE_MS);
    const t = await page.evaluate(() => performance.now());
    await page.keyboard.press("ArrowLeft");
    arrows.push((await page.evaluate(drawnAt, { step, t0: t })).ms);
  }
  const jumps = [];
  const parts = [];
  await page.evaluate(() => performance.setResourceTimingBufferSize(100_000));
  for (let i = 0; i < MOVES; i++) {
    const step = Math.floor(Math.random() * (STEPS - 40));
    const jump = await page.evaluate(
      async ({ step, drawn }) => {
        performance.clearResourceTimings();
        const slider = document.querySelector(
          '[data-testid="media-panel"][data-key="preds"] [data-testid="media-slider"]',
        );
        const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
        const t0 = performance.now();
        set.call(slider, String(step));
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        const done = await new Function(`return (${drawn})`)()({ step, t0 });
        // Where the time went: the media index's answer, then the image files (resource timing).
        const entries = performance.getEntriesByType("resource").filter((e) => e.startTime >= t0);
        const index = entries.find(
          (e) => /\/media\/[^/]+\/[^/]+\?/.test(e.name) && e.name.includes(`step=${step}`),
        );
        const files = entries.filter(
          (e) => /\/(files|thumbnails?)\//.test(e.name) && e.responseEnd <= t0 + done.ms,
        );
        const lastFile = Math.max(...files.map((e) => e.responseEnd - t0), 0);
        // The images in view asked in one batch (POST /media/:entity/:project/files).
        const batches = entries.filter(
          (e) => /\/media\/[^/]+\/[^/]+\/files$/.test(e.name) && e.responseEnd <= t0 + done.ms,
        );
        return {
          ms: done.ms,
          indexStart: index === undefined ? null : index.startTime - t0,
          indexEnd: index === undefined ? null : index.responseEnd - t0,
          files: files.length,
          firstFileStart: files.length === 0 ? null : Math.min(...files.map((e) => e.startTime - t0)),
          lastFileEnd: files.length === 0 ? null : lastFile,
          // Per file: waiting for one of the browser's 6 connections, then the request itself.
          fileQueued: files.length === 0 ? null : Math.max(...files.map((e) => e.requestStart - e.startTime)),
          fileRequest:
            files.length === 0 ? null : Math.max(...files.map((e) => e.responseEnd - e.requestStart)),
          batches: batches.length,
          batchStart: batches.length === 0 ? null : Math.min(...batches.map((e) => e.startTime - t0)),
          batchEnd: batches.length === 0 ? null : Math.max(...batches.map((e) => e.responseEnd - t0)),
        };
      },
      { step, drawn: drawnAt.toString() },
    );
    jumps.push(jump.ms);
    parts.push(jump);
  }
  await page.close();
  return { loads, inView, arrows, jumps, parts };
}

if (!existsSync(join(dataDir, "ready"))) {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
}
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
});
try {
  let fillSeconds = null;
  if (!existsSync(join(dataDir, "ready"))) {
    fillSeconds = await fill(`${server.url}/api/v1`);
    writeFileSync(join(dataDir, "ready"), "");
  }
  const m = await measure(browser, server.url);
  const firsts = m.loads.map((l) => l.first);
  const alls = m.loads.map((l) => l.all);
  const version = String(
    execFileSync("/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }),
  ).trim();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${version}`;
  const result = {
    bench: "media-ui",
    runs: RUNS,
    steps: STEPS,
    imagesPerStep: IMAGES,
    imagesInView: m.inView,
    firstImageMs: pct(firsts, 0.5),
    firstImagesInViewMs: pct(alls, 0.5),
    firstImagesRuns: alls.map((x) => Math.round(x)),
    nextStepArrowP50Ms: pct(m.arrows, 0.5),
    nextStepArrowP99Ms: pct(m.arrows, 0.99),
    sliderJumpP50Ms: pct(m.jumps, 0.5),
    sliderJumpP99Ms: pct(m.jumps, 0.99),
    fillSeconds,
    machine,
  };
  console.log(
    `(a) ${RUNS} runs × ${STEPS} steps × ${IMAGES} images: first image ${result.firstImageMs} ms, ` +
      `all ${m.inView} images in view ${result.firstImagesInViewMs} ms median [${result.firstImagesRuns.join(", ")}] (target ≤ 1000)`,
  );
  console.log(
    `(b) next step: arrow key p50 ${result.nextStepArrowP50Ms} ms, p99 ${result.nextStepArrowP99Ms} ms; ` +
      `slider jump to a random step p50 ${result.sliderJumpP50Ms} ms, p99 ${result.sliderJumpP99Ms} ms (target ≤ 150)`,
  );
  const med = (f) => {
    const xs = m.parts.map(f).filter((x) => x !== null);
    return xs.length === 0 ? "–" : pct(xs, 0.5);
  };
  console.log(
    `    jump, medians from the input event: index request sent ${med((p) => p.indexStart)} ms, ` +
      `answered ${med((p) => p.indexEnd)} ms; image files fetched ${med((p) => p.files)}, first sent ` +
      `${med((p) => p.firstFileStart)} ms, last in ${med((p) => p.lastFileEnd)} ms (longest wait for a connection ` +
      `${med((p) => p.fileQueued)} ms, longest request ${med((p) => p.fileRequest)} ms); batches ${med((p) => p.batches)}, ` +
      `first sent ${med((p) => p.batchStart)} ms, last in ${med((p) => p.batchEnd)} ms; all drawn ${med((p) => p.ms)} ms`,
  );
  console.log(
    `    load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.stop();
}
