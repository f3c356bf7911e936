/**
 * The media worker: a thread of the training process that encodes (PNG, GIF, WAV, ffmpeg video),
 * hashes and writes every logged media file into the run directory as
 * `files/<dir>/<key>_<step>_<sha256[:20]><ext>`, then reports size and sha256 in the shared
 * results table (media-results.ts). The training thread only copied the data and posted it.
 * Writing is a temp file and a rename, so a file at its final name is always whole.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { encodeFileContent } from "./encode/encode-file.js";
import { mediaFilePath } from "./fill-template.js";
import type { LoggedFile } from "./logged-value.js";
import { MediaResults } from "./media-results.js";

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
}

const results = new MediaResults((workerData as MediaWorkerData).results);

function runJob(job: MediaJob): void {
  try {
    const bytes = encodeFileContent(job.file.content);
    const digest = createHash("sha256").update(bytes).digest();
    const path = mediaFilePath(job.file.dir, job.key, job.step, digest.toString("hex"), job.file.ext);
    const local = join(job.runDir, "files", path);
    // Content-addressed name: a file already there holds these bytes.
    if (!existsSync(local)) {
      mkdirSync(dirname(local), { recursive: true });
      const temp = `${local}.${process.pid}.tmp`;
      writeFileSync(temp, bytes);
      renameSync(temp, local);
    }
    if (job.file.content.kind === "copy") rmSync(job.file.content.local, { force: true });
    results.written(job.slot, bytes.length, digest);
  } catch (error) {
    results.failed(job.slot, error instanceof Error ? error.message : String(error));
  }
}

parentPort?.on("message", (jobs: MediaJob[]) => {
  for (const job of jobs) runJob(job);
});
