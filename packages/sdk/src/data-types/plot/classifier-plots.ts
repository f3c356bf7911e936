/**
 * `plot.prCurve` and `plot.rocCurve` (W&B's pr_curve.py / roc_curve.py): one curve per class,
 * one-vs-rest, as a table `class, precision, recall` (21 recall points per class) or
 * `class, fpr, tpr`, values rounded to 3 decimals, drawn by the area-under-curve preset.
 *
 * Inputs: `yTrue[i]` the class index of sample i (0 … K−1); `yProbas[i][k]` the probability of
 * class k for sample i (K columns), or one probability per sample for a binary problem
 * (`p` → [1 − p, p]). Class k's scores are column k (W&B reads column i of the i-th class
 * present in yTrue, which shifts columns when a class is missing from yTrue). Curves are drawn
 * for the classes present in yTrue, or those of `classesToPlot` (indices, or names from
 * `labels`) present in yTrue; `labels[k]` names class k.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { Table } from "../table/table.js";
import { numbersOf, matrixRows, type NumericInput } from "../numeric-input.js";
import { binaryCounts, interpolatedPrecision, rocPoints, round3 } from "./classifier-curves.js";
import { plotTable, type CustomChart } from "./custom-chart.js";
import { PRESETS } from "./presets.js";

export interface CurveOptions {
  /** Class names: `labels[k]` names class k. */
  labels?: readonly string[];
  /** Classes to draw (indices or label names); default every class present in yTrue. */
  classesToPlot?: ReadonlyArray<number | string>;
  title?: string;
}

/** Class indices, one per sample. */
export type ClassLabels = ArrayLike<number> | NumericInput;
/** K probabilities per sample (rows, or `{ data, shape: [n, K] }`), or one per sample (binary). */
export type ClassProbabilities = ReadonlyArray<ArrayLike<number>> | ArrayLike<number> | NumericInput;

export function prCurve(
  yTrue: ClassLabels,
  yProbas: ClassProbabilities,
  options: CurveOptions & { interpSize?: number } = {},
): CustomChart {
  const interpSize = options.interpSize ?? 21;
  if (!Number.isInteger(interpSize) || interpSize < 2 || interpSize > 10_000)
    throw new InvalidDataError(
      `plot.prCurve: interpSize must be an integer from 2 to 10000, got ${String(interpSize)}`,
    );
  const table = new Table({ columns: ["class", "precision", "recall"] });
  for (const curve of curves("plot.prCurve", yTrue, yProbas, options)) {
    const points = interpolatedPrecision(curve.counts, interpSize);
    points.recall.forEach((recall, i) =>
      table.addData(curve.name, round3(points.precision[i] as number), round3(recall)),
    );
  }
  return plotTable(
    PRESETS.areaUnderCurve,
    table,
    { x: "recall", y: "precision", class: "class" },
    {
      title: options.title ?? "Precision-Recall Curve",
      "x-axis-title": "Recall",
      "y-axis-title": "Precision",
    },
  );
}

export function rocCurve(
  yTrue: ClassLabels,
  yProbas: ClassProbabilities,
  options: CurveOptions = {},
): CustomChart {
  const table = new Table({ columns: ["class", "fpr", "tpr"] });
  for (const curve of curves("plot.rocCurve", yTrue, yProbas, options)) {
    const points = rocPoints(curve.counts);
    points.fpr.forEach((fpr, i) => table.addData(curve.name, round3(fpr), round3(points.tpr[i] as number)));
  }
  return plotTable(
    PRESETS.areaUnderCurve,
    table,
    { x: "fpr", y: "tpr", class: "class" },
    {
      title: options.title ?? "ROC Curve",
      "x-axis-title": "False positive rate",
      "y-axis-title": "True positive rate",
    },
  );
}

interface ClassCurve {
  name: string | number;
  counts: ReturnType<typeof binaryCounts>;
}

function curves(where: string, yTrue: unknown, yProbas: unknown, options: CurveOptions): ClassCurve[] {
  const labels = readLabels(options.labels, where);
  const truth = numbersOf(yTrue, `${where}: yTrue`);
  const scores = probabilityColumns(where, yProbas, truth.length);
  const k = scores.length;
  const present = new Set<number>();
  for (let i = 0; i < truth.length; i++) {
    const c = truth[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= k)
      throw new InvalidDataError(
        `${where}: yTrue[${i}] is ${c}, not a class index from 0 to ${k - 1} (yProbas has ${k} columns); ` +
          "give class indices, and name classes with labels",
      );
    present.add(c);
  }
  if (labels !== null && labels.length < k)
    throw new InvalidDataError(
      `${where}: labels has ${labels.length} names for ${k} classes; give one per yProbas column`,
    );
  const wanted =
    options.classesToPlot === undefined
      ? null
      : new Set(options.classesToPlot.map((c) => classIndex(where, c, labels, k)));
  const out: ClassCurve[] = [];
  for (let c = 0; c < k; c++) {
    if (!present.has(c) || (wanted !== null && !wanted.has(c))) continue;
    const positive = Array.from(truth, (t) => t === c);
    out.push({
      name: labels === null ? c : (labels[c] as string),
      counts: binaryCounts(positive, scores[c] as number[]),
    });
  }
  return out;
}

/** Columns of probabilities (one per class), checked: same length as yTrue, each in [0, 1]. */
function probabilityColumns(where: string, yProbas: unknown, samples: number): number[][] {
  const binary = Array.isArray(yProbas) ? typeof yProbas[0] === "number" : ArrayBuffer.isView(yProbas);
  const rows = binary
    ? Array.from(numbersOf(yProbas, `${where}: yProbas`), (p) => [1 - p, p])
    : matrixRows(yProbas, `${where}: yProbas`);
  if (rows.length !== samples)
    throw new InvalidDataError(
      `${where}: yProbas has ${rows.length} rows but yTrue has ${samples} labels; give one row per sample`,
    );
  const k = rows[0]?.length ?? 0;
  if (samples === 0 || k === 0)
    throw new InvalidDataError(`${where}: no samples; give at least one label and its probabilities`);
  const columns = Array.from({ length: k }, () => new Array<number>(samples));
  rows.forEach((row, i) => {
    if (row.length !== k)
      throw new InvalidDataError(
        `${where}: yProbas[${i}] has ${row.length} values, yProbas[0] has ${k}; give one per class`,
      );
    for (let c = 0; c < k; c++) {
      const p = binary ? (row[1] as number) : (row[c] as number);
      if (!(p >= 0 && p <= 1))
        throw new InvalidDataError(
          `${where}: yProbas[${i}]${binary ? "" : `[${c}]`} is ${p}; probabilities must be from 0 to 1 (apply softmax or sigmoid to scores)`,
        );
      (columns[c] as number[])[i] = row[c] as number;
    }
  });
  return columns;
}

function readLabels(labels: unknown, where: string): string[] | null {
  if (labels === undefined || labels === null) return null;
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== "string"))
    throw new InvalidDataError(`${where}: labels must be an array of class names (strings)`);
  return labels as string[];
}

function classIndex(where: string, c: number | string, labels: string[] | null, k: number): number {
  const index = typeof c === "string" && labels !== null ? labels.indexOf(c) : c;
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= k)
    throw new InvalidDataError(
      `${where}: classesToPlot holds ${JSON.stringify(c)}, which is neither a class index from 0 to ${k - 1} nor a name in labels`,
    );
  return index;
}
