// bench/media-index: the server side of the media panel, 20 runs × 200 steps × 8 images.
//  1. Ingest: each run logs `preds` (an `images/separated` list of 8 PNGs, W&B's JSON) every step
//     beside a loss, in batches of 50 rows; every image file is PUT (real bytes, 8 distinct
//     contents, so the blobs dedupe but every run file record exists).
//  2. The panel's first answer: the steps of `preds` for the 20 runs, then the 160 images at a
//     step (nearest): ms each, cold (first request) and warm.
//  3. Slider moves: 200 random steps, one media query for the 20 runs each: p50 / p99 ms.
//  4. The same answer by scanning history (what a server without the index would do): the
//     20 runs' history exported and searched for the step, for comparison.
//  5. Thumbnails of a 1024×768 image: made (first request) and cached (second) in ms.
// Targets (issue 10): the panel's first images ≤ 1 s and the next step after a slider move
// ≤ 150 ms end to end; the server's share is what this measures.
// Usage: node bench/media-index.mjs [--quick]   (quick: 5 runs × 50 steps)
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { startServer } from "./support/server-process.mjs";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 5 : 20;
const STEPS = quick ? 50 : 200;
const IMAGES = 8;
const work = mkdtempSync(join(tmpdir(), "stepwise-bench-media-"));
const entity = "bench";
const project = "media";
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

const pngs = await Promise.all(
  Array.from({ length: IMAGES }, (_, i) =>
    sharp({ create: { width: 64, height: 64, channels: 3, background: { r: i * 30, g: 80, b: 120 } } })
      .png()
      .toBuffer(),
  ),
);

const server = await startServer(join(work, "data"));
try {
  const base = `${server.url}/api/v1`;
  const t0 = performance.now();
  let files = 0;
  for (let r = 0; r < RUNS; r++) {
    const run = `run-${r}`;
    const puts = [];
    for (let from = 0; from < STEPS; from += 50) {
      const rows = [];
      for (let step = from; step < Math.min(STEPS, from + 50); step++) {
        const filenames = pngs.map((b, i) => `media/images/preds_${step}_${sha256(b).slice(0, 16)}${i}.png`);
        for (const [i, path] of filenames.entries()) puts.push([path, pngs[i]]);
        rows.push({
          _step: step,
          loss: 1 / (step + 1),
          preds: {
            _type: "images/separated",
            width: 64,
            height: 64,
            format: "png",
            count: IMAGES,
            filenames,
          },
        });
      }
      const res = await fetch(`${base}/runs/${entity}/${project}/${run}/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ history: { offset: from, rows } }),
      });
      if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`);
    }
    await inParallel(puts, 16, async ([path, body]) => {
      const res = await fetch(`${base}/runs/${entity}/${project}/${run}/files/${path}`, {
        method: "PUT",
        body,
      });
      if (res.status !== 201) throw new Error(`PUT ${res.status}`);
      await res.arrayBuffer();
      files++;
    });
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  const runs = Array.from({ length: RUNS }, (_, r) => `run-${r}`).join(",");

  const timed = async (url) => {
    const start = performance.now();
    const res = await fetch(url);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - start, body };
  };
  const stepsQuery = `${base}/media/${entity}/${project}/steps?key=preds&runs=${runs}`;
  const atStep = (s) => `${base}/media/${entity}/${project}?key=preds&runs=${runs}&step=${s}&match=nearest`;
  const stepsCold = await timed(stepsQuery);
  const firstCold = await timed(atStep(STEPS - 1));
  const items = firstCold.body.runs.reduce((n, r) => n + r.items.length, 0);
  if (items !== RUNS * IMAGES) throw new Error(`expected ${RUNS * IMAGES} items, got ${items}`);
  const stepsWarm = await timed(stepsQuery);
  const moves = [];
  for (let i = 0; i < 200; i++) moves.push((await timed(atStep(Math.floor(Math.random() * STEPS)))).ms);
  moves.sort((a, b) => a - b);
  const p = (q) => moves[Math.min(moves.length - 1, Math.floor(q * moves.length))];

  // Without the index: scan every run's history for the step.
  const scanStart = performance.now();
  const wanted = Math.floor(STEPS / 2);
  let found = 0;
  for (let r = 0; r < RUNS; r++) {
    const text = await (await fetch(`${base}/runs/${entity}/${project}/run-${r}/history`)).text();
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const row = JSON.parse(line);
      if (row._step === wanted && row.preds) found += row.preds.filenames.length;
    }
  }
  const scanMs = performance.now() - scanStart;
  if (found !== RUNS * IMAGES) throw new Error(`scan found ${found}`);

  const big = await sharp({ create: { width: 1024, height: 768, channels: 3, background: "#468" } })
    .png()
    .toBuffer();
  await fetch(`${base}/runs/${entity}/${project}/run-0/files/media/images/big.png`, {
    method: "PUT",
    body: big,
  });
  const thumb = `${base}/runs/${entity}/${project}/run-0/thumbnails/256/media/images/big.png`;
  const make = performance.now();
  const made = await fetch(thumb);
  await made.arrayBuffer();
  const makeMs = performance.now() - make;
  const hit = performance.now();
  const cached = await fetch(thumb);
  await cached.arrayBuffer();
  const hitMs = performance.now() - hit;

  const result = {
    bench: "media-index",
    runs: RUNS,
    steps: STEPS,
    imagesPerStep: IMAGES,
    items: RUNS * STEPS * IMAGES,
    files,
    ingestAndUploadSeconds: round(ingestSeconds),
    stepsColdMs: round(stepsCold.ms),
    stepsWarmMs: round(stepsWarm.ms),
    firstImagesColdMs: round(firstCold.ms),
    sliderP50Ms: round(p(0.5)),
    sliderP99Ms: round(p(0.99)),
    historyScanMs: round(scanMs),
    thumbnailMakeMs: round(makeMs),
    thumbnailCachedMs: round(hitMs),
    thumbnailHeaders: [made.headers.get("x-thumbnail-cache"), cached.headers.get("x-thumbnail-cache")],
    machine: `${cpus().length} x ${cpus()[0]?.model ?? "?"}, node ${process.version}`,
  };
  console.log(
    `media index, ${RUNS} runs × ${STEPS} steps × ${IMAGES} images (${result.items} items, ${files} files PUT in ${result.ingestAndUploadSeconds} s)`,
  );
  console.log(
    `  steps of the key, ${RUNS} runs: ${result.stepsColdMs} ms cold, ${result.stepsWarmMs} ms warm`,
  );
  console.log(`  first images (${RUNS * IMAGES} at one step): ${result.firstImagesColdMs} ms cold`);
  console.log(`  slider move (${RUNS} runs): p50 ${result.sliderP50Ms} ms, p99 ${result.sliderP99Ms} ms`);
  console.log(`  the same by scanning history: ${result.historyScanMs} ms`);
  console.log(
    `  thumbnail 1024×768 → 256: made ${result.thumbnailMakeMs} ms, cached ${result.thumbnailCachedMs} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  server.process.kill("SIGTERM");
  await new Promise((resolve) => server.process.once("exit", resolve));
  rmSync(work, { recursive: true, force: true });
}

function round(x) {
  return Math.round(x * 100) / 100;
}

async function inParallel(items, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
