/**
 * The media worker: a thread of the training process that encodes (PNG, GIF, WAV, ffmpeg video),
 * hashes and writes every logged media file into the run directory as
 * `files/<dir>/<key>_<step>_<sha256[:20]><ext>`, then reports size and sha256 in the shared
 * results table (media-results.ts). The training thread only copied the data and posted it.
 * Writing is a temp file and a rename, so a file at its final name is always whole.
 *
 * Jobs arrive on a MessagePort, and those of pooled image pixels in a ring in shared memory
 * (job-ring.ts), that this thread polls (receiveMessageOnPort, then Atomics.wait
 * with a timeout) instead of listening on its event loop: a message to a thread blocked in its
 * event loop wakes it, and on a busy machine that wake-up preempts the training thread inside
 * log() (measured on 2 cores: postMessage p99 8.6 ms with a listening worker, 0.02 ms with a
 * polling one). The training thread wakes the pollers only when it is about to wait for them.
 *
 * A job is started no sooner than HOLD_MS after it was posted: log() returns a fraction of a
 * millisecond after posting, and an encode that starts before it returns can take the training
 * thread's core for a whole scheduler slice. Measured on 2 cores (bench/media-log.mjs paced,
 * per-thread schedstat): most log() calls over 1 ms were the training thread waiting on the run
 * queue while this thread ran 2–3 ms, the encode of the image that call had just posted (a poll
 * every BUSY_POLL_MS lands in the call's last ~0.1 ms in a few percent of the calls).
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { receiveMessageOnPort, threadId, workerData, type MessagePort } from "node:worker_threads";
import { encodeFileContent } from "./encode/encode-file.js";
import { mediaFilePath } from "./fill-template.js";
import type { LoggedFile } from "./logged-value.js";
import { JobRingReader, type MediaMessage } from "./job-ring.js";
import { MediaResults } from "./media-results.js";
import { yieldToTraining } from "../runlog/background-thread.js";

export interface MediaJob {
  slot: number;
  /** The run's directory. */
  runDir: string;
  /** Key as it goes into the file name, and the step (or "summary"). */
  key: string;
  step: number | "summary";
  file: LoggedFile;
}

export interface MediaWorkerData {
  results: SharedArrayBuffer;
  /** Where jobs arrive (an array of MediaJob per message). */
  port: MessagePort;
  /** One Int32 the pollers sleep on; the training thread notifies it before it waits for a result. */
  wake: SharedArrayBuffer;
  /** This thread's job ring (job-ring.ts): the jobs of pooled image pixels. */
  ring: SharedArrayBuffer;
}

/**
 * How long after its post a job waits before it starts (Date.now() milliseconds: the hold lasts
 * 1–2 ms; bounded, so a clock step back cannot stretch it). The training thread's notify ends it.
 */
const HOLD_MS = 2;
/** Poll interval while jobs keep coming, and once idle for IDLE_AFTER_MS. */
const BUSY_POLL_MS = 2;
const IDLE_POLL_MS = 50;
const IDLE_AFTER_MS = 1000;

const data = workerData as MediaWorkerData;
yieldToTraining();
const results = new MediaResults(data.results);

function runJob(job: MediaJob): void {
  const started = performance.now();
  if (job.file.content.kind === "copy") return copyJob(job, job.file.content.local, started);
  try {
    const bytes = encodeFileContent(job.file.content);
    const digest = createHash("sha256").update(bytes).digest();
    const path = mediaFilePath(job.file.dir, job.key, job.step, digest.toString("hex"), job.file.ext);
    const local = join(job.runDir, "files", path);
    // Content-addressed name: a file already there holds these bytes.
    if (!existsSync(local)) {
      mkdirSync(dirname(local), { recursive: true });
      // Unique per thread: several media threads may write the same content at once.
      const temp = `${local}.${process.pid}-${threadId}.tmp`;
      writeFileSync(temp, bytes);
      renameSync(temp, local);
    }
    results.written(job.slot, bytes.length, digest, performance.now() - started);
  } catch (error) {
    results.failed(job.slot, error instanceof Error ? error.message : String(error));
  }
  // Nothing of the job's data is read after its result: a pooled pixel buffer (shared, not
  // transferred; pixel-buffers.ts) is reused by the training thread once it reads that result.
}

/**
 * A file the user logged by path (staged at log(), media-file.ts): hashed in 1 MiB reads, never
 * held whole, then moved into place (a rename; a clone or copy when the staging folder is on
 * another filesystem).
 */
function copyJob(job: MediaJob, staged: string, started: number): void {
  try {
    const hash = createHash("sha256");
    const chunk = Buffer.allocUnsafe(1 << 20);
    let size = 0;
    const fd = openSync(staged, "r");
    try {
      for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
        hash.update(chunk.subarray(0, read));
        size += read;
      }
    } finally {
      closeSync(fd);
    }
    const digest = hash.digest();
    const path = mediaFilePath(job.file.dir, job.key, job.step, digest.toString("hex"), job.file.ext);
    const local = join(job.runDir, "files", path);
    if (!existsSync(local)) {
      mkdirSync(dirname(local), { recursive: true });
      try {
        renameSync(staged, local);
      } catch {
        const temp = `${local}.${process.pid}-${threadId}.tmp`;
        copyFileSync(staged, temp, constants.COPYFILE_FICLONE);
        renameSync(temp, local);
      }
    }
    rmSync(staged, { force: true });
    results.written(job.slot, size, digest, performance.now() - started);
  } catch (error) {
    results.failed(job.slot, error instanceof Error ? error.message : String(error));
  }
}

const wake = new Int32Array(data.wake);

/** Waits until the job of `slot` is HOLD_MS old, or the training thread wakes this thread. */
function holdFresh(slot: number): void {
  const wait = Math.min(HOLD_MS, results.postedAt(slot) + HOLD_MS - Date.now());
  if (wait > 0) Atomics.wait(wake, 0, 0, wait);
}

const ring = new JobRingReader(data.ring);
let lastJob = Date.now();
for (;;) {
  // Loaded before the port is drained: every entry up to it has its definitions there (job-ring.ts).
  const written = ring.writtenCount();
  for (
    let message = receiveMessageOnPort(data.port);
    message !== undefined;
    message = receiveMessageOnPort(data.port)
  ) {
    const received = message.message as MediaMessage;
    if (ring.define(received)) continue;
    for (const job of received as MediaJob[]) {
      holdFresh(job.slot);
      runJob(job);
    }
    lastJob = Date.now();
  }
  for (let job = ring.next(written); job !== null; job = ring.next(written)) {
    if (typeof job === "number") {
      results.failed(job, "the media thread was not told the buffer or shape of this job");
      continue;
    }
    holdFresh(job.slot);
    runJob(job);
    lastJob = Date.now();
  }
  Atomics.wait(wake, 0, 0, Date.now() - lastJob > IDLE_AFTER_MS ? IDLE_POLL_MS : BUSY_POLL_MS);
}
