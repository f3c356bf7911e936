/**
 * `run.watch` / `run.unwatch` for TensorFlow.js models (W&B's `wandb.watch`): the run keeps the
 * models it watches; every `logFreq` batches (counted by `stepwise.tfjs.callback()` in
 * `model.fit`, or by `stepwise.tfjs.logGradients()` in a custom loop) it logs a histogram of each
 * layer's weights as `parameters/<layer>` and, where the loop hands them over, of each layer's
 * gradients as `gradients/<layer>`. Layers without weights are left out.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { Histogram } from "../data-types/histogram.js";
import { asLayersModel, type LayerLike, type LayersModelLike, type TensorLike } from "./tfjs-model.js";

export type WatchLog = "gradients" | "parameters" | "all";

export interface WatchOptions {
  /** What to log: "gradients" (default, as W&B), "parameters" or "all". */
  log?: WatchLog;
  /** Log every this many batches. Default 1000 (as W&B). */
  logFreq?: number;
}

interface Watched {
  model: LayersModelLike;
  log: WatchLog;
  logFreq: number;
  batches: number;
}

const WATCH_LOGS: readonly WatchLog[] = ["gradients", "parameters", "all"];

export class ModelWatcher {
  private readonly watched: Watched[] = [];

  watch(model: unknown, options: WatchOptions = {}): void {
    const checked = asLayersModel(model, "run.watch");
    const log = options.log ?? "gradients";
    if (!WATCH_LOGS.includes(log))
      throw new InvalidDataError(
        `run.watch: log must be one of ${WATCH_LOGS.join(", ")}, not ${JSON.stringify(log)}`,
      );
    const logFreq = options.logFreq ?? 1000;
    if (!Number.isInteger(logFreq) || logFreq < 1)
      throw new InvalidDataError(
        `run.watch: logFreq must be a whole number of batches ≥ 1, not ${String(logFreq)}`,
      );
    const existing = this.watched.find((w) => w.model === checked);
    if (existing !== undefined) Object.assign(existing, { log, logFreq });
    else this.watched.push({ model: checked, log, logFreq, batches: 0 });
  }

  /** Stops watching `model`, or every model. */
  unwatch(model?: unknown): void {
    if (model === undefined) this.watched.length = 0;
    else {
      const at = this.watched.findIndex((w) => w.model === model);
      if (at >= 0) this.watched.splice(at, 1);
    }
  }

  get size(): number {
    return this.watched.length;
  }

  /** Whether some watched model wants gradients. */
  get wantsGradients(): boolean {
    return this.watched.some((w) => w.log !== "parameters");
  }

  /**
   * Counts one batch for every watched model; returns the histograms due now (`parameters/…`,
   * and `gradients/…` from `grads` when given: tf.variableGrads' map, variable name → tensor).
   */
  batchEnd(grads?: Readonly<Record<string, TensorLike>>): Record<string, Histogram> {
    const out: Record<string, Histogram> = {};
    for (const entry of this.watched) {
      entry.batches++;
      if (entry.batches % entry.logFreq !== 0) continue;
      for (const layer of entry.model.layers) {
        if (entry.log !== "gradients") {
          const values = flatten(layer.getWeights());
          if (values.length > 0) out[`parameters/${layer.name}`] = new Histogram(values);
        }
        if (entry.log !== "parameters" && grads !== undefined) {
          const values = flatten(gradientsOf(layer, grads));
          if (values.length > 0) out[`gradients/${layer.name}`] = new Histogram(values);
        }
      }
    }
    return out;
  }
}

/** The layer's gradients: by its variables' names, else by the `<layer>/` prefix TF.js gives them. */
function gradientsOf(layer: LayerLike, grads: Readonly<Record<string, TensorLike>>): TensorLike[] {
  const names = layer.weights?.map((w) => w.name);
  return Object.entries(grads)
    .filter(([name]) =>
      names !== undefined && names.length > 0 ? names.includes(name) : name.startsWith(`${layer.name}/`),
    )
    .map(([, tensor]) => tensor);
}

function flatten(tensors: readonly TensorLike[]): Float64Array {
  const parts = tensors.map((t) => t.dataSync());
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) out[at++] = Number(part[i]);
  return out;
}

const watchers = new WeakMap<object, ModelWatcher>();

/** The watcher of a run (made on first use). */
export function watcherOf(run: object): ModelWatcher {
  let watcher = watchers.get(run);
  if (watcher === undefined) {
    watcher = new ModelWatcher();
    watchers.set(run, watcher);
  }
  return watcher;
}
