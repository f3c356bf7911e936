/**
 * Seals an artifact on a thread of its own (seal-worker.ts): `run.logArtifact` awaits it
 * without the hashing ever holding the training thread. Falls back to sealing here when the
 * worker's compiled file is not found (running from sources without a build).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { StepwiseError, type ErrorCode } from "@stepwise/protocol";
import type { Artifact, PendingEntry } from "./artifact.js";
import { sealEntries, type SealedArtifact } from "./seal-artifact.js";
import { errorFromCode } from "../api/api-error.js";
import { workerExecArgv } from "../runlog/worker-exec-argv.js";

type WorkerAnswer =
  | (Omit<SealedArtifact, "sources"> & {
      ok: true;
      sources: Array<[string, { localPath: string; size: number }]>;
    })
  | { ok: false; code: ErrorCode | null; message: string };

export async function sealOffThread(artifact: Artifact): Promise<SealedArtifact> {
  await artifact.flushNewFiles();
  const entries = artifact.pendingEntries();
  const url = sealWorkerUrl();
  if (url === null) return sealEntries(entries, artifact.name);
  return new Promise<SealedArtifact>((resolve, reject) => {
    const worker = new Worker(url, {
      workerData: { entries: entries satisfies PendingEntry[], artifact: artifact.name },
      execArgv: workerExecArgv(),
    });
    let settled = false;
    worker.once("message", (answer: WorkerAnswer) => {
      settled = true;
      void worker.terminate();
      if (answer.ok) resolve({ ...answer, sources: new Map(answer.sources) });
      // The thread's error as its class here (a UsageError stays a UsageError), by its catalogue code.
      else reject(errorFromCode(answer.code ?? "INTERNAL", answer.message));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new StepwiseError("INTERNAL", `the artifact sealing thread ended (exit ${code})`));
    });
  });
}

function sealWorkerUrl(): URL | null {
  const beside = new URL("./seal-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL("../../dist/artifacts/seal-worker.js", import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : null;
}
