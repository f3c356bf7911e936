/**
 * The fixture most specs share: project `vision` with four finished runs whose every value is a
 * known formula of the step, so that a spec can say what a chart must show at a given step.
 *
 * | run   | config.lr | summary val/acc | tags      | group |
 * | ----- | --------- | --------------- | --------- | ----- |
 * | alpha | 0.001     | 0.95            | baseline  | g1    |
 * | beta  | 0.005     | 0.85            |           | g1    |
 * | gamma | 0.02      | 0.97            | wide      | g2    |
 * | delta | 0.0005    | 0.93            |           | g2    |
 *
 * `config.lr < 0.01 and summary.val/acc > 0.9` matches alpha and delta.
 */
import type { Run } from "@stepwise/sdk";
import type { E2eServer } from "./e2e-server.js";
import { logRuns, type LoggedRun, type RunSpec } from "./log-runs.js";

export const VISION_PROJECT = "vision";
export const VISION_STEPS = 100;

interface VisionRun {
  name: string;
  lr: number;
  finalValAcc: number;
  tags: string[];
  group: string;
  /** Scales train/loss so that the runs' curves differ. */
  scale: number;
}

export const VISION_RUNS: readonly VisionRun[] = [
  { name: "alpha", lr: 0.001, finalValAcc: 0.95, tags: ["baseline"], group: "g1", scale: 1 },
  { name: "beta", lr: 0.005, finalValAcc: 0.85, tags: [], group: "g1", scale: 1.5 },
  { name: "gamma", lr: 0.02, finalValAcc: 0.97, tags: ["wide"], group: "g2", scale: 2 },
  { name: "delta", lr: 0.0005, finalValAcc: 0.93, tags: [], group: "g2", scale: 2.5 },
];

/** train/loss: a decaying curve with a deterministic wobble (so smoothing changes it). */
export function trainLoss(scale: number, step: number): number {
  return scale / (step + 1) + 0.05 * Math.sin(step);
}

/** val/acc climbs linearly to the run's final value at the last step. */
export function valAcc(finalValAcc: number, step: number): number {
  return (finalValAcc * step) / (VISION_STEPS - 1);
}

function logVision(spec: VisionRun, run: Run): void {
  for (let step = 0; step < VISION_STEPS; step++)
    run.log({
      "train/loss": trainLoss(spec.scale, step),
      "train/acc": step / VISION_STEPS,
      "val/acc": valAcc(spec.finalValAcc, step),
      "a/b/c": step * 2,
      sample: step * 10,
      "secret/metric": step,
      _internal: step,
    });
  // A summary-only key (never logged to history) must get no chart.
  run.summary.set("best_epoch", VISION_STEPS - 1);
}

export function visionSpecs(): RunSpec[] {
  return VISION_RUNS.map((spec) => ({
    project: VISION_PROJECT,
    name: spec.name,
    config: { lr: spec.lr, batch: 32, optimizer: { name: "adam", beta: spec.name === "alpha" ? 0.9 : 0.99 } },
    tags: spec.tags,
    group: spec.group,
    metrics: { "secret/metric": { hidden: true } },
    logSteps: (run) => logVision(spec, run),
  }));
}

/** Logs the four runs; returns them by name. */
export async function logVisionProject(server: E2eServer): Promise<Record<string, LoggedRun>> {
  const runs = await logRuns(server, visionSpecs());
  return Object.fromEntries(runs.map((run) => [run.name, run]));
}
