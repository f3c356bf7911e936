/**
 * Entry point of a thread that seals an artifact (hashes its files) for `run.logArtifact`, so
 * that hashing a large dataset never runs on the training thread. workerData: the pending
 * entries; posts the sealed manifest, or the error (a UsageError's message is the user's fix).
 */
import { parentPort, workerData } from "node:worker_threads";
import { UsageError } from "@stepwise/protocol";
import type { PendingEntry } from "./artifact.js";
import { sealEntries } from "./seal-artifact.js";

const pending = (workerData as { entries: PendingEntry[] }).entries;
sealEntries(pending).then(
  (sealed) => parentPort?.postMessage({ ok: true, ...sealed, sources: [...sealed.sources] }),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      usage: error instanceof UsageError,
      message: error instanceof Error ? error.message : String(error),
    }),
);
