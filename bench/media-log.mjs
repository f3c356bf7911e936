// bench/media-log: log() of a 256×256 RGB image (Uint8Array { data, shape }) to a real server
// (`stepwise server --port 0`). Two runs:
//  - paced: one image per training step, with a simulated step (busy loop, the event loop
//    blocked as in real training) between calls: log() p50/p99/max on the training thread;
//  - burst: images in a tight loop (the encoder falls behind, so log() waits for it: the
//    backpressure), then finish(): images/s from the first log() until the server holds every file.
// Beside each log() the loop times a plain copy of the same pixels into a buffer allocated once
// (`control`: it makes no garbage itself, so it cannot cause the GCs it would then measure): on
// a loaded machine its tail shows what the scheduler alone costs, whatever log() does.
// The main thread's GCs are recorded (perf_hooks) and those that ran inside a log() call are
// counted: a young-generation GC caused by log()'s garbage lands there.
// On Linux the training thread's run-queue wait (schedstat: time it was ready to run but another
// thread had the core) is read before and after each call, without allocating: a call over 1 ms
// whose wait is at least half its time was descheduled, not slow in itself; the CPU time of every
// other thread of this process and of the server is read around it too, so each descheduled call
// is put down to the thread that ran most meanwhile: one of this process's (media, writer,
// upload… threads), the server's, or none of them (another process).
// The server's file list is checked: every image arrived, each one distinct. Every line printed
// carries the load average (1 min) at the start and end of that measurement.
// Usage: node bench/media-log.mjs [pacedImages=200] [stepMs=20] [burstImages=500]
import { closeSync, mkdtempSync, openSync, readdirSync, readlinkSync, readSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { Image, init } from "@stepwise/sdk";
import { startServer } from "./support/server-process.mjs";

const pacedImages = Number(process.argv[2] ?? 200);
const stepMs = Number(process.argv[3] ?? 20);
const burstImages = Number(process.argv[4] ?? 500);
const side = 256;

const work = mkdtempSync(join(tmpdir(), "stepwise-media-bench-"));
const server = await startServer(join(work, "data"));
const url = server.url;

// A smooth picture with noise (compresses like a photo, not like a flat test pattern); the step
// is written into its first pixels so every image is distinct (the server would not store a
// repeated one twice).
const pixels = new Uint8Array(side * side * 3);
for (let y = 0; y < side; y++)
  for (let x = 0; x < side; x++)
    for (let c = 0; c < 3; c++)
      pixels[(y * side + x) * 3 + c] =
        (x * (c + 1) + y * (3 - c) + Math.sin(x / 7 + c) * 30 + Math.random() * 24) & 255;
const copy = new Uint8Array(pixels.length);
const load = () => loadavg()[0].toFixed(1);
/** The main thread's GCs: [start, duration] in performance.now() time. */
const gcs = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcs.push([entry.startTime, entry.duration]);
}).observe({ entryTypes: ["gc"] });
/** Nanoseconds this thread has waited on the run queue (NaN where /proc has no schedstat). */
const schedstat = (() => {
  try {
    return openSync("/proc/thread-self/schedstat", "r");
  } catch {
    return null;
  }
})();
const schedBytes = Buffer.alloc(64);
/** Field `field` (0: ns on the CPU, 1: ns waiting to run) of the schedstat file open on `fd`. */
const schedField = (fd, field) => {
  let length;
  try {
    length = readSync(fd, schedBytes, 0, 64, 0);
  } catch {
    return NaN; // the thread has exited since (ESRCH): it ran no more
  }
  let i = field === 0 ? 0 : schedBytes.indexOf(32) + 1;
  let ns = 0;
  for (; i < length && schedBytes[i] >= 48 && schedBytes[i] <= 57; i++) ns = ns * 10 + schedBytes[i] - 48;
  return ns;
};
const runQueueWaitNs = () => (schedstat === null ? NaN : schedField(schedstat, 1));
/** schedstat fds of the other threads of this process and of the server (opened once all run). */
const openThreads = () => {
  const self = readlinkSync("/proc/thread-self").split("/").pop();
  const threads = [];
  for (const [pid, where] of [
    [process.pid, "this process"],
    [server.pid, "the server"],
  ])
    for (const tid of readdirSync(`/proc/${pid}/task`))
      if (tid !== self) threads.push({ fd: openSync(`/proc/${pid}/task/${tid}/schedstat`, "r"), where });
  return threads;
};
const imageAt = (i) => {
  pixels[0] = i & 255;
  pixels[1] = (i >> 8) & 255;
  pixels[2] = (i >> 16) & 255;
  return new Image({ data: pixels, shape: [side, side, 3] });
};

// The simulated training step computes without allocating (a loop of integer arithmetic
// calibrated to `ms`): a loop that polls performance.now() makes garbage, and the GC pauses it
// causes would land in whichever call runs then, log() included.
let sink = 0;
const spin = (n) => {
  let x = sink;
  for (let k = 0; k < n; k++) x = (x * 1103515245 + 12345) | 0;
  sink = x;
};
const spinsPerMs = (() => {
  spin(1e6);
  const t0 = performance.now();
  spin(2e7);
  return 2e7 / (performance.now() - t0);
})();
const busy = (ms) => spin(Math.round(ms * spinsPerMs));

async function measure(name, images, pauseMs) {
  const run = await init({
    dir: work,
    baseUrl: url,
    project: "media-bench",
    name,
    settings: { silent: true, finishTimeoutMs: 600_000 },
  });
  // Starts the media thread and waits until it has written that first image (status() flushes
  // the log): the thread's start-up and first encode are not counted in the calls measured.
  run.log({ warmup: imageAt(1 << 20) });
  await run.status();
  const loadBefore = load();
  const starts = new Float64Array(images);
  const times = new Float64Array(images);
  const control = new Float64Array(images);
  const waited = new Float64Array(images);
  const threads = schedstat === null ? [] : openThreads();
  const ranBefore = new Float64Array(threads.length);
  /** Per call: the thread that ran most during it (index in `threads`, -1: none over 0.2 ms). */
  const ranMost = new Int32Array(images);
  const started = performance.now();
  for (let i = 0; i < images; i++) {
    const image = imageAt(i);
    const c0 = performance.now();
    copy.set(pixels);
    control[i] = performance.now() - c0;
    for (let k = 0; k < threads.length; k++) ranBefore[k] = schedField(threads[k].fd, 0);
    const w0 = runQueueWaitNs();
    const t0 = performance.now();
    run.log({ sample: image, loss: 1 / (i + 1) });
    times[i] = performance.now() - t0;
    waited[i] = (runQueueWaitNs() - w0) / 1e6;
    let most = 0.2e6;
    ranMost[i] = -1;
    for (let k = 0; k < threads.length; k++) {
      const ran = schedField(threads[k].fd, 0) - ranBefore[k];
      if (ran > most) [most, ranMost[i]] = [ran, k];
    }
    starts[i] = t0;
    if (pauseMs > 0) busy(pauseMs);
  }
  const loopMs = performance.now() - started;
  const loadAfter = load();
  await run.finish();
  const totalMs = performance.now() - started;
  const response = await fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}/files`);
  const files = (await response.json()).files.filter((file) => file.path.startsWith("media/images/sample_"));
  if (files.length !== images)
    throw new Error(`${name}: the server has ${files.length} images, expected ${images}`);
  const pct = (values, p) => {
    const sorted = Array.from(values).sort((x, y) => x - y);
    return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(3));
  };
  // GCs (delivered once the loop yields) that started inside a log() call.
  let gcInLog = 0;
  let gcInLogMaxMs = 0;
  for (const [at, ms] of gcs)
    for (let i = 0; i < images; i++)
      if (at >= starts[i] && at <= starts[i] + times[i]) {
        gcInLog++;
        gcInLogMaxMs = Math.max(gcInLogMaxMs, ms);
      }
  gcs.length = 0;
  let overDescheduled = 0;
  const descheduledBy = {};
  for (let i = 0; i < images; i++)
    if (times[i] > 1 && waited[i] >= times[i] / 2) {
      overDescheduled++;
      const by = ranMost[i] === -1 ? "another process" : threads[ranMost[i]].where;
      descheduledBy[by] = (descheduledBy[by] ?? 0) + 1;
    }
  for (const thread of threads) closeSync(thread.fd);
  return {
    load: `${loadBefore}→${loadAfter}`,
    p50Ms: pct(times, 50),
    p99Ms: pct(times, 99),
    maxMs: pct(times, 100),
    controlCopyP50Ms: pct(control, 50),
    controlCopyP99Ms: pct(control, 99),
    callsOver05Ms: times.filter((t) => t > 0.5).length,
    callsOver1Ms: times.filter((t) => t > 1).length,
    /** Of those, calls that spent half their time or more waiting on the run queue (null: no schedstat). */
    over1MsDescheduled: schedstat === null ? null : overDescheduled,
    /** Those calls by the thread that ran most meanwhile. */
    descheduledBy,
    gcInLog,
    gcInLogMaxMs: Number(gcInLogMaxMs.toFixed(2)),
    loopSeconds: Number((loopMs / 1000).toFixed(2)),
    endToEndSeconds: Number((totalMs / 1000).toFixed(2)),
    imagesPerSec: Number((images / (totalMs / 1000)).toFixed(1)),
    pngKiB: Math.round(files.reduce((sum, file) => sum + file.size, 0) / files.length / 1024),
  };
}

const paced = await measure("paced", pacedImages, stepMs);
const burst = await measure("burst", burstImages, 0);
await server.stop();
rmSync(work, { recursive: true, force: true });

const result = {
  bench: "media-log",
  image: `${side}x${side} RGB uint8`,
  paced: { images: pacedImages, stepMs, ...paced },
  burst: { images: burstImages, ...burst },
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
};
console.log(
  `paced (${pacedImages} images, ${stepMs} ms steps): log() p50 ${paced.p50Ms} ms, p99 ${paced.p99Ms} ms, max ${paced.maxMs} ms; ` +
    `${paced.callsOver05Ms} calls over 0.5 ms, ${paced.callsOver1Ms} over 1 ms (${paced.over1MsDescheduled ?? "?"} of them descheduled: ` +
    `${JSON.stringify(paced.descheduledBy)}), ` +
    `${paced.gcInLog} GCs inside log() (longest ${paced.gcInLogMaxMs} ms) [load ${paced.load}]`,
);
console.log(
  `  a plain copy of the pixels in the same loop: p50 ${paced.controlCopyP50Ms} ms, p99 ${paced.controlCopyP99Ms} ms [load ${paced.load}]`,
);
console.log(
  `burst (${burstImages} images):             log() p50 ${burst.p50Ms} ms, p99 ${burst.p99Ms} ms (waits for the encoder) [load ${burst.load}]`,
);
console.log(
  `end to end (burst):  ${burst.imagesPerSec} images/s until the server holds every file (${burst.pngKiB} KiB PNGs) [load ${burst.load}]`,
);
console.log(JSON.stringify(result));
