/**
 * Starts the run log's writer worker (writer-worker.ts) on a ring and control block: the
 * worker body is serialised with `toString()` and started with `eval`, so it runs the same
 * from sources and from the build, and gets every constant it needs through `workerData`.
 */
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { SPACE_RESERVE_FILE } from "./disk-report.js";
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  PAYLOAD_KEY,
  PAYLOAD_KEY_TABLE,
  PAYLOAD_ROW,
} from "./log-format.js";
import {
  DISK_PROBLEM_CODES,
  FLAG_CONTINUED,
  KIND_DEFERRED,
  KIND_KEY,
  KIND_ROW,
  KIND_SHIFT,
  RING_FRAME_HEADER,
  SLOT,
  WRAP_MARKER,
} from "./ring-layout.js";
import { expandDeferredRow } from "./deferred-row.js";
import { workerExecArgv } from "./worker-exec-argv.js";
import { writerWorkerMain, type WriterWorkerData } from "./writer-worker.js";

const WORKER_SOURCE = `(${writerWorkerMain.toString()})(${expandDeferredRow.toString()})`;
/** Longest the worker waits for a deferred row's files (the media queue's FILE_WAIT_MS). */
const DEFERRED_WAIT_MS = 120_000;

export function startWriterWorker(
  file: string,
  ring: SharedArrayBuffer,
  control: SharedArrayBuffer,
  tuning: Pick<WriterWorkerData, "syncIntervalMs" | "idlePollMs" | "holdBytes" | "mediaResults">,
): Worker {
  const workerData: WriterWorkerData = {
    file,
    ring,
    control,
    slots: SLOT,
    frameMagic: FRAME_MAGIC,
    frameHeaderBytes: FRAME_HEADER_BYTES,
    ringFrameHeader: RING_FRAME_HEADER,
    wrapMarker: WRAP_MARKER,
    flagContinued: FLAG_CONTINUED,
    kinds: {
      shift: KIND_SHIFT,
      key: KIND_KEY,
      row: KIND_ROW,
      deferred: KIND_DEFERRED,
      payloadKey: PAYLOAD_KEY,
      payloadRow: PAYLOAD_ROW,
      payloadKeyTable: PAYLOAD_KEY_TABLE,
    },
    ...tuning,
    deferredWaitMs: DEFERRED_WAIT_MS,
    reserveFile: join(dirname(file), SPACE_RESERVE_FILE),
    problemCodes: DISK_PROBLEM_CODES,
  };
  return new Worker(WORKER_SOURCE, { eval: true, workerData, execArgv: workerExecArgv() });
}
