/**
 * Entry point of a thread that seals an artifact (hashes its files) for `run.logArtifact`, so
 * that hashing a large dataset never runs on the training thread. workerData: the pending
 * entries and the artifact's name; posts the sealed manifest, or the error (a StepwiseError's
 * code and message: the user's fix).
 */
import { parentPort, workerData } from "node:worker_threads";
import { StepwiseError } from "@stepwise/protocol";
import type { PendingEntry } from "./artifact.js";
import { sealEntries } from "./seal-artifact.js";
import { yieldToTraining } from "../runlog/background-thread.js";

yieldToTraining();
const { entries, artifact } = workerData as { entries: PendingEntry[]; artifact: string };
sealEntries(entries, artifact).then(
  (sealed) => parentPort?.postMessage({ ok: true, ...sealed, sources: [...sealed.sources] }),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      code: error instanceof StepwiseError ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
    }),
);
