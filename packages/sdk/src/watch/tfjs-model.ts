/**
 * What `run.watch` needs of a TensorFlow.js `LayersModel`, by shape (duck typing): the SDK never
 * imports `@tensorflow/tfjs`, so any copy or version of it works, and a project without it pays
 * nothing. A model has `layers`, each with a `name` and `getWeights()` (tensors with
 * `dataSync()`), and `getWeights()` itself.
 */
import { UsageError } from "@stepwise/protocol";

export interface TensorLike {
  dataSync(): ArrayLike<number>;
  readonly shape: readonly number[];
}

export interface LayerLike {
  readonly name: string;
  getWeights(): TensorLike[];
  /** The layer's variables (their names key the gradients of `tf.variableGrads`). */
  readonly weights?: ReadonlyArray<{ readonly name: string }>;
}

export interface LayersModelLike {
  readonly layers: readonly LayerLike[];
  getWeights(): TensorLike[];
}

/** The model, or a UsageError saying what a watchable model is. */
export function asLayersModel(value: unknown, where: string): LayersModelLike {
  const model = value as Partial<LayersModelLike> | null;
  const ok =
    typeof value === "object" &&
    model !== null &&
    Array.isArray(model.layers) &&
    typeof model.getWeights === "function" &&
    model.layers.every(
      (layer: unknown) =>
        typeof layer === "object" &&
        layer !== null &&
        typeof (layer as LayerLike).name === "string" &&
        typeof (layer as LayerLike).getWeights === "function",
    );
  if (!ok)
    throw new UsageError(
      `${where} takes a TensorFlow.js LayersModel (an object with \`layers\`, each with a name and getWeights(), ` +
        `and getWeights(), e.g. tf.sequential() or tf.model()); got ${describe(value)}`,
    );
  return model as LayersModelLike;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object"
    ? `a ${name}`
    : "an object without layers and getWeights()";
}
