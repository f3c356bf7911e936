/**
 * `stepwise.tfjs`: the TensorFlow.js side of `run.watch` (W&B's Keras callbacks).
 * - `callback(run?, options?)`: a callback for `model.fit(x, y, { callbacks: [...] })` that logs
 *   each batch's metrics as `batch/<name>` (with `batch/batch_step`) and each epoch's as
 *   `epoch/<name>` (with `epoch/epoch`), and the watched models' histograms every `logFreq`
 *   batches. It has every method of TF.js's BaseCallback, so it may stand alone, among plain
 *   callback objects, or after `tf.callbacks.earlyStopping()` (TF.js takes a list whose first
 *   item is a BaseCallback as it is, and wraps every item of any other list).
 * - `logGradients(grads, run?)`: in a custom loop (`tf.variableGrads`), counts a batch and logs
 *   the watched models' histograms due, gradients included (`gradients/<layer>`), into the run's
 *   next row (commit: false, as W&B's watch does). `model.fit` never exposes gradients.
 */
import { UsageError } from "@stepwise/protocol";
import { getRun } from "../active-run.js";
import type { Run } from "../run/run.js";
import { watcherOf } from "./model-watcher.js";
import type { TensorLike } from "./tfjs-model.js";

export interface TfjsCallbackOptions {
  /** Log batch metrics every this many batches; 0 logs none. Default 1. */
  logBatchFrequency?: number;
  /** Log epoch metrics. Default true. */
  logEpochs?: boolean;
}

type Logs = Record<string, unknown> | undefined;

export class StepwiseTfjsCallback {
  private batchStep = 0;
  private readonly batchFrequency: number;
  private readonly logEpochs: boolean;
  /** Set by TF.js when the callback is used as a BaseCallback. */
  model: unknown = null;
  params: unknown = null;
  validationData = null;

  constructor(
    private readonly run: Run | null,
    options: TfjsCallbackOptions = {},
  ) {
    const frequency = options.logBatchFrequency ?? 1;
    if (!Number.isInteger(frequency) || frequency < 0)
      throw new UsageError(
        `stepwise.tfjs.callback: logBatchFrequency must be a whole number ≥ 0, not ${String(frequency)}`,
      );
    this.batchFrequency = frequency;
    this.logEpochs = options.logEpochs ?? true;
  }

  setParams = (params: unknown): void => {
    this.params = params;
  };
  setModel = (model: unknown): void => {
    this.model = model;
  };
  onTrainBegin = (): Promise<void> => Promise.resolve();
  onTrainEnd = (): Promise<void> => Promise.resolve();
  onEpochBegin = (): Promise<void> => Promise.resolve();
  onBatchBegin = (): Promise<void> => Promise.resolve();

  onBatchEnd = (_batch: number, logs?: Logs): Promise<void> => {
    const run = this.target();
    const row: Record<string, unknown> = { ...watcherOf(run).batchEnd() };
    if (this.batchFrequency > 0 && this.batchStep % this.batchFrequency === 0) {
      Object.assign(row, metrics("batch", logs, ["batch", "size"]));
      row["batch/batch_step"] = this.batchStep;
    }
    this.batchStep++;
    if (Object.keys(row).length > 0) run.log(row);
    return Promise.resolve();
  };

  onEpochEnd = (epoch: number, logs?: Logs): Promise<void> => {
    if (!this.logEpochs) return Promise.resolve();
    this.target().log({ ...metrics("epoch", logs, []), "epoch/epoch": epoch });
    return Promise.resolve();
  };

  private target(): Run {
    const run = this.run ?? getRun();
    if (run === null)
      throw new UsageError(
        "stepwise.tfjs.callback: no run: call stepwise.init() first, or pass the run: stepwise.tfjs.callback(run)",
      );
    return run;
  }
}

/** `<prefix>/<name>` for each numeric (or scalar tensor) value of TF.js's logs. */
function metrics(prefix: string, logs: Logs, skip: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(logs ?? {})) {
    if (skip.includes(name)) continue;
    const number =
      typeof value === "number"
        ? value
        : typeof (value as Partial<TensorLike> | null)?.dataSync === "function"
          ? Number((value as TensorLike).dataSync()[0])
          : undefined;
    if (number !== undefined) out[`${prefix}/${name}`] = number;
  }
  return out;
}

function callback(run?: Run | null, options?: TfjsCallbackOptions): StepwiseTfjsCallback {
  return new StepwiseTfjsCallback(run ?? null, options);
}

function logGradients(grads: Readonly<Record<string, TensorLike>>, run?: Run | null): void {
  const target = run ?? getRun();
  if (target === null)
    throw new UsageError("stepwise.tfjs.logGradients: no run: call stepwise.init() first, or pass the run");
  if (typeof grads !== "object" || grads === null)
    throw new UsageError(
      "stepwise.tfjs.logGradients takes tf.variableGrads(f).grads: variable name → tensor",
    );
  const histograms = watcherOf(target).batchEnd(grads);
  if (Object.keys(histograms).length > 0) target.log(histograms, { commit: false });
}

export const tfjs = { callback, logGradients };
