/**
 * A livelier project for the screenshots in docs/screenshots: six runs of a made-up image
 * classifier with noisy, realistic curves (deterministic noise, so screenshots are stable).
 */
import type { E2eServer } from "./e2e-server.js";
import { logRuns, type LoggedRun, type RunSpec } from "./log-runs.js";

export const DEMO_PROJECT = "cifar-resnet";
const STEPS = 400;

/** A small deterministic pseudo-random sequence (xorshift), so that reruns draw the same noise. */
function noise(seed: number): () => number {
  let state = seed * 2654435761 + 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 10_000) / 10_000 - 0.5;
  };
}

/**
 * Fixed ids, so that screenshots are reproducible; these six hash to six different colours of
 * lib/run-colors.ts (blue, orange, green, red, violet, teal), which random ids rarely do.
 */
const IDS = ["cifar5", "cifar17", "cifar14", "cifar10", "cifar37", "cifar20"];

const RUNS = [
  { name: "resnet18-lr3e-4", lr: 3e-4, batch: 128, optimizer: "adam", speed: 1.0, floor: 0.32 },
  { name: "resnet18-lr1e-3", lr: 1e-3, batch: 128, optimizer: "adam", speed: 1.5, floor: 0.28 },
  { name: "resnet18-lr1e-2", lr: 1e-2, batch: 128, optimizer: "sgd", speed: 2.2, floor: 0.45 },
  { name: "resnet34-lr1e-3", lr: 1e-3, batch: 256, optimizer: "adam", speed: 1.2, floor: 0.22 },
  { name: "resnet34-cosine", lr: 2e-3, batch: 256, optimizer: "adamw", speed: 1.4, floor: 0.2 },
  { name: "resnet50-warmup", lr: 1e-3, batch: 512, optimizer: "adamw", speed: 0.9, floor: 0.18 },
];

export function demoSpecs(): RunSpec[] {
  return RUNS.map((spec, index) => ({
    project: DEMO_PROJECT,
    name: spec.name,
    ...(IDS[index] === undefined ? {} : { id: IDS[index] }),
    config: { lr: spec.lr, batch_size: spec.batch, optimizer: spec.optimizer, model: { depth: 18 + index } },
    tags: index % 2 === 0 ? ["baseline"] : ["sweep"],
    group: spec.name.split("-")[0] ?? "",
    notes: "Trained on **CIFAR-10** with label smoothing $\\epsilon = 0.1$.",
    metrics: { "val/loss": { summary: "min,last", goal: "minimize" } },
    logSteps(run) {
      const next = noise(index + 1);
      for (let step = 0; step < STEPS; step++) {
        const progress = 1 - Math.exp((-spec.speed * step) / 120);
        const loss = spec.floor + (2.3 - spec.floor) * (1 - progress);
        const row: Record<string, number> = {
          "train/loss": loss + 0.08 * next(),
          "train/acc": Math.min(1, 0.1 + 0.85 * progress + 0.02 * next()),
          "train/lr":
            spec.lr * (step < 40 ? step / 40 : 0.5 * (1 + Math.cos((Math.PI * (step - 40)) / (STEPS - 40)))),
          epoch: Math.floor(step / 40),
        };
        if (step % 10 === 0) {
          row["val/loss"] = loss * 1.08 + 0.03 * next();
          row["val/acc"] = Math.min(1, 0.1 + 0.8 * progress + 0.01 * next());
        }
        run.log(row);
      }
    },
  }));
}

export async function logDemoProject(server: E2eServer): Promise<LoggedRun[]> {
  return logRuns(server, demoSpecs());
}
