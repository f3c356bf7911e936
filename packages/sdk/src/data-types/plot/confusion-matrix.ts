/**
 * `plot.confusionMatrix({ probs | preds, yTrue, classNames, title })` (W&B's confusion_matrix.py,
 * preset v1): a table `Actual, Predicted, nPredictions` with one row per (actual, predicted)
 * pair of classes, n² rows, actual-major. Predictions are `preds` or the argmax of each row of
 * `probs`. With `classNames`, labels are class indices 0 … n−1; without, the classes are the
 * sorted union of the labels seen (numbers ascending, or strings) named `Class_1` … `Class_n`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { Table } from "../table/table.js";
import { matrixRows, isList, type NumericInput } from "../numeric-input.js";
import { argmax, confusionCounts } from "./classifier-curves.js";
import { plotTable, type CustomChart } from "./custom-chart.js";
import { PRESETS } from "./presets.js";

export interface ConfusionMatrixOptions {
  /** Predicted probabilities (or scores), one row of K per sample; give this or `preds`. */
  probs?: ReadonlyArray<ArrayLike<number>> | NumericInput;
  /** Predicted labels, one per sample; give this or `probs`. */
  preds?: ReadonlyArray<number | string>;
  /** True labels, one per sample. */
  yTrue: ReadonlyArray<number | string>;
  /** Class names; labels are then class indices into it. */
  classNames?: readonly string[];
  title?: string;
}

const WHERE = "plot.confusionMatrix";

export function confusionMatrix(options: ConfusionMatrixOptions): CustomChart {
  const { probs, yTrue, classNames } = options;
  if (probs !== undefined && options.preds !== undefined)
    throw new InvalidDataError(`${WHERE}: give probs or preds, not both`);
  if (probs === undefined && options.preds === undefined)
    throw new InvalidDataError(`${WHERE}: give preds (predicted labels) or probs (predicted probabilities)`);
  if (!isList(yTrue))
    throw new InvalidDataError(`${WHERE}: yTrue must be an array of labels, one per sample`);
  const preds = probs !== undefined ? predictionsOf(probs) : options.preds;
  if (!isList(preds))
    throw new InvalidDataError(`${WHERE}: preds must be an array of labels, one per sample`);
  if (preds.length !== yTrue.length)
    throw new InvalidDataError(
      `${WHERE}: ${preds.length} predictions but ${yTrue.length} true labels; give one of each per sample`,
    );
  const { names, index } = classesOf(preds, yTrue, classNames);
  const counts = confusionCounts(
    yTrue.map((l, i) => index(l, "yTrue", i)),
    preds.map((l, i) => index(l, "preds", i)),
    names.length,
  );
  const table = new Table({ columns: ["Actual", "Predicted", "nPredictions"] });
  names.forEach((actual, a) =>
    names.forEach((predicted, p) => table.addData(actual, predicted, counts[a]?.[p] ?? 0)),
  );
  return plotTable(
    PRESETS.confusionMatrix,
    table,
    { Actual: "Actual", Predicted: "Predicted", nPredictions: "nPredictions" },
    { title: options.title ?? "Confusion Matrix Curve" },
  );
}

function predictionsOf(probs: unknown): number[] {
  return matrixRows(probs, `${WHERE}: probs`).map((row, i) => {
    if (row.length === 0)
      throw new InvalidDataError(`${WHERE}: probs[${i}] is empty; give one value per class`);
    for (let c = 0; c < row.length; c++)
      if (Number.isNaN(row[c]))
        throw new InvalidDataError(`${WHERE}: probs[${i}][${c}] is NaN; give numbers`);
    return argmax(row);
  });
}

type Label = number | string;

function classesOf(
  preds: readonly Label[],
  yTrue: readonly Label[],
  classNames: readonly string[] | undefined,
): { names: string[]; index: (label: Label, what: string, i: number) => number } {
  if (classNames !== undefined) {
    if (!isList(classNames) || classNames.some((n) => typeof n !== "string"))
      throw new InvalidDataError(`${WHERE}: classNames must be an array of strings`);
    return {
      names: [...classNames],
      index: (label, what, i) => {
        if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label >= classNames.length)
          throw new InvalidDataError(
            `${WHERE}: ${what}[${i}] is ${JSON.stringify(label)}, not a class index from 0 to ${classNames.length - 1} ` +
              `(classNames has ${classNames.length} names); give indices into classNames`,
          );
        return label;
      },
    };
  }
  const labels = [...new Set<Label>([...preds, ...yTrue])];
  labels.forEach((l) => {
    if (!(typeof l === "string" || (typeof l === "number" && Number.isFinite(l))))
      throw new InvalidDataError(`${WHERE}: labels must be numbers or strings, got ${JSON.stringify(l)}`);
  });
  const kinds = new Set(labels.map((l) => typeof l));
  if (kinds.size > 1) throw new InvalidDataError(`${WHERE}: labels mix numbers and strings; use one kind`);
  labels.sort((a, b) => (typeof a === "number" ? a - (b as number) : a < b ? -1 : a > b ? 1 : 0));
  const position = new Map(labels.map((l, i) => [l, i]));
  return { names: labels.map((_, i) => `Class_${i + 1}`), index: (label) => position.get(label) ?? 0 };
}
