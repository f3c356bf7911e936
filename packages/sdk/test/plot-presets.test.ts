/**
 * plot.* presets: the tables they compute (PR and ROC against sklearn's documented example
 * worked by hand, the confusion matrix from preds and from probs, lineSeries' long table), the
 * preset ids and bindings, and the refusals (mismatched lengths, probabilities outside [0, 1],
 * a field naming a missing column).
 */
import { describe, expect, it } from "vitest";
import { InvalidDataError, Table, plot, plotTable } from "../src/index.js";

// sklearn's precision_recall_curve / roc_curve example: y = [0, 0, 1, 1], scores of class 1
// [0.1, 0.4, 0.35, 0.8] (class 0 scores are 1 − p).
const yTrue = [0, 0, 1, 1];
const yProbas = [
  [0.9, 0.1],
  [0.6, 0.4],
  [0.65, 0.35],
  [0.2, 0.8],
];
const recallGrid = Array.from({ length: 21 }, (_, j) => Math.round((1 - j / 20) * 100) / 100);

function rowsOf(table: Table): unknown[][] {
  return table.data.map((row) => [...row]);
}

describe("plot.prCurve", () => {
  it("21 recall points per class, precision interpolated (best precision at that recall or more), 3 decimals", () => {
    const chart = plot.prCurve(yTrue, yProbas);
    expect(chart.specName).toBe("stepwise/area-under-curve/v0");
    expect(chart.fields).toEqual({ x: "recall", y: "precision", class: "class" });
    expect(chart.stringFields).toEqual({
      title: "Precision-Recall Curve",
      "x-axis-title": "Recall",
      "y-axis-title": "Precision",
    });
    expect(chart.table.columns).toEqual(["class", "precision", "recall"]);
    // Class 1: precision 2/3 at recall 1 (thresholds 0.35 and 0.1 give 2/3 and 1/2), 1 up to recall 0.5.
    // Class 0 (scores 0.9, 0.65, 0.6, 0.2 for labels 0, 1, 0, 1) has the same curve.
    const expected = (name: number): unknown[][] => recallGrid.map((r) => [name, r > 0.5 ? 0.667 : 1, r]);
    expect(rowsOf(chart.table)).toEqual([...expected(0), ...expected(1)]);
  });

  it("labels name the classes; classesToPlot picks them by index or name; a binary yProbas is P(class 1)", () => {
    const named = plot.prCurve(yTrue, yProbas, { labels: ["ham", "spam"], classesToPlot: ["spam"] });
    expect(new Set(named.table.getColumn("class"))).toEqual(new Set(["spam"]));
    const binary = plot.prCurve(yTrue, [0.1, 0.4, 0.35, 0.8], { classesToPlot: [1] });
    expect(rowsOf(binary.table)).toEqual(rowsOf(plot.prCurve(yTrue, yProbas, { classesToPlot: [1] }).table));
  });

  it("draws only classes present in yTrue (W&B's rule): a class with no sample has no curve", () => {
    const chart = plot.prCurve(
      [1, 1, 0],
      [
        [0.2, 0.3, 0.5],
        [0.1, 0.6, 0.3],
        [0.7, 0.2, 0.1],
      ],
    );
    expect(new Set(chart.table.getColumn("class"))).toEqual(new Set([0, 1]));
    expect(chart.table.nrows).toBe(42);
  });

  it("refuses mismatched lengths, probabilities outside [0, 1], labels that are not class indices", () => {
    expect(() => plot.prCurve([0, 1, 1], yProbas)).toThrow(/yProbas has 4 rows but yTrue has 3 labels/);
    expect(() =>
      plot.prCurve(yTrue, [
        [0.5, 0.5],
        [0.5, 0.5],
        [1.2, -0.2],
        [0.5, 0.5],
      ]),
    ).toThrow(/yProbas\[2\]\[0\] is 1.2; probabilities must be from 0 to 1/);
    expect(() => plot.prCurve(yTrue, [[0.5, 0.5], [0.5], [0.5, 0.5], [0.5, 0.5]])).toThrow(
      /yProbas\[1\] has 1 values/,
    );
    expect(() => plot.prCurve([0, 0, 2, 1], yProbas)).toThrow(
      /yTrue\[2\] is 2, not a class index from 0 to 1/,
    );
    expect(() => plot.prCurve(yTrue, [NaN, 0.4, 0.35, 0.8])).toThrow(InvalidDataError);
    expect(() => plot.prCurve(yTrue, yProbas, { classesToPlot: ["owl"], labels: ["ham", "spam"] })).toThrow(
      /"owl"/,
    );
  });
});

describe("plot.rocCurve", () => {
  it("sklearn's example: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1] for class 1", () => {
    const chart = plot.rocCurve(yTrue, yProbas, { classesToPlot: [1], title: "ROC" });
    expect(chart.specName).toBe("stepwise/area-under-curve/v0");
    expect(chart.fields).toEqual({ x: "fpr", y: "tpr", class: "class" });
    expect(chart.stringFields).toEqual({
      title: "ROC",
      "x-axis-title": "False positive rate",
      "y-axis-title": "True positive rate",
    });
    expect(rowsOf(chart.table)).toEqual([
      [1, 0, 0],
      [1, 0, 0.5],
      [1, 0.5, 0.5],
      [1, 0.5, 1],
      [1, 1, 1],
    ]);
  });

  it("points on a straight line between neighbours are dropped (drop_intermediate), values rounded to 3 decimals", () => {
    const probas = [0.9, 0.8, 0.7, 0.1];
    const chart = plot.rocCurve([1, 1, 1, 0], probas, { classesToPlot: [1] });
    expect(rowsOf(chart.table)).toEqual([
      [1, 0, 0],
      [1, 0, 0.333],
      [1, 0, 1],
      [1, 1, 1],
    ]);
  });
});

describe("plot.confusionMatrix", () => {
  it("from preds with classNames: n² rows Actual, Predicted, nPredictions, actual-major", () => {
    const chart = plot.confusionMatrix({
      yTrue: [0, 1, 2, 2],
      preds: [0, 2, 2, 1],
      classNames: ["a", "b", "c"],
    });
    expect(chart.specName).toBe("stepwise/confusion_matrix/v1");
    expect(chart.fields).toEqual({ Actual: "Actual", Predicted: "Predicted", nPredictions: "nPredictions" });
    expect(chart.stringFields).toEqual({ title: "Confusion Matrix Curve" });
    expect(rowsOf(chart.table)).toEqual([
      ["a", "a", 1],
      ["a", "b", 0],
      ["a", "c", 0],
      ["b", "a", 0],
      ["b", "b", 0],
      ["b", "c", 1],
      ["c", "a", 0],
      ["c", "b", 1],
      ["c", "c", 1],
    ]);
  });

  it("from probs (argmax of each row, first on ties) equals the same preds", () => {
    const probs = [
      [0.8, 0.1, 0.1],
      [0.1, 0.2, 0.7],
      [0.3, 0.3, 0.4],
      [0.4, 0.4, 0.2],
    ];
    const fromProbs = plot.confusionMatrix({ probs, yTrue: [0, 1, 2, 0], classNames: ["a", "b", "c"] });
    const fromPreds = plot.confusionMatrix({
      preds: [0, 2, 2, 0],
      yTrue: [0, 1, 2, 0],
      classNames: ["a", "b", "c"],
    });
    expect(rowsOf(fromProbs.table)).toEqual(rowsOf(fromPreds.table));
  });

  it("without classNames: the sorted union of labels named Class_1 … Class_n", () => {
    const chart = plot.confusionMatrix({ yTrue: ["dog", "cat", "cat"], preds: ["cat", "cat", "owl"] });
    expect(rowsOf(chart.table).filter((row) => row[2] !== 0)).toEqual([
      ["Class_1", "Class_1", 1],
      ["Class_1", "Class_3", 1],
      ["Class_2", "Class_1", 1],
    ]);
    expect(chart.table.nrows).toBe(9);
  });

  it("refuses probs with preds, mismatched lengths, labels outside classNames", () => {
    expect(() => plot.confusionMatrix({ yTrue: [0], preds: [0], probs: [[1]] })).toThrow(
      /probs or preds, not both/,
    );
    expect(() => plot.confusionMatrix({ yTrue: [0, 1], preds: [0] })).toThrow(
      /1 predictions but 2 true labels/,
    );
    expect(() => plot.confusionMatrix({ yTrue: [0, 3], preds: [0, 1], classNames: ["a", "b"] })).toThrow(
      /yTrue\[1\] is 3, not a class index from 0 to 1/,
    );
  });
});

describe("plot.lineSeries and the table presets", () => {
  it("lineSeries: a long table step, lineKey, lineVal; one shared xs or one per line; keys default line_i", () => {
    const chart = plot.lineSeries(
      [0, 1],
      [
        [10, 11],
        [20, 21],
      ],
      { title: "t", xname: "epoch" },
    );
    expect(chart.specName).toBe("stepwise/lineseries/v0");
    expect(chart.fields).toEqual({ step: "step", lineKey: "lineKey", lineVal: "lineVal" });
    expect(chart.stringFields).toEqual({ title: "t", xname: "epoch" });
    expect(rowsOf(chart.table)).toEqual([
      [0, "line_0", 10],
      [1, "line_0", 11],
      [0, "line_1", 20],
      [1, "line_1", 21],
    ]);
    const own = plot.lineSeries([[0], [5, 6]], [[1], [2, 3]], { keys: ["a", "b"] });
    expect(rowsOf(own.table)).toEqual([
      [0, "a", 1],
      [5, "b", 2],
      [6, "b", 3],
    ]);
    expect(() => plot.lineSeries([0, 1, 2], [[1, 2]])).toThrow(
      /line 0 \(line_0\) has 2 y values but 3 x values/,
    );
    expect(() => plot.lineSeries([0], [[1]], { keys: ["a", "b"] })).toThrow(/keys has 2 names for 1 lines/);
  });

  it("line, scatter, bar, histogram bind columns of the user's table to their preset", () => {
    const table = new Table({
      columns: ["epoch", "loss", "run"],
      data: [
        [0, 1.5, "a"],
        [1, 0.5, "a"],
      ],
    });
    expect(plot.line(table, "epoch", "loss", { title: "L", stroke: "run" })).toMatchObject({
      specName: "stepwise/line/v0",
      fields: { x: "epoch", y: "loss", stroke: "run" },
      stringFields: { title: "L" },
    });
    expect(plot.line(table, "epoch", "loss").fields).toEqual({ x: "epoch", y: "loss", stroke: null });
    expect(plot.scatter(table, "epoch", "loss")).toMatchObject({
      specName: "stepwise/scatter/v0",
      fields: { x: "epoch", y: "loss" },
    });
    expect(plot.bar(table, "run", "loss")).toMatchObject({
      specName: "stepwise/bar/v0",
      fields: { label: "run", value: "loss" },
    });
    expect(plot.histogram(table, "loss")).toMatchObject({
      specName: "stepwise/histogram/v0",
      fields: { value: "loss" },
    });
    expect(() => plot.line(table, "epoch", "acc")).toThrow(
      /field "y" names the column "acc", which the table does not have; columns: "epoch", "loss", "run"/,
    );
  });

  it("plotTable binds any table to any preset id; refuses a bad id, a non-Table and a missing column", () => {
    const table = new Table({ columns: ["a"], data: [[1]] });
    const chart = plotTable("me/my-chart/v2", table, { value: "a" }, { title: "mine" });
    expect(chart).toMatchObject({
      specName: "me/my-chart/v2",
      fields: { value: "a" },
      stringFields: { title: "mine" },
    });
    expect(() => plotTable("not an id", table, {})).toThrow(/preset id like "stepwise\/line\/v0"/);
    expect(() => plotTable("me/x", { columns: ["a"] } as unknown as Table, {})).toThrow(
      /table must be a Table/,
    );
    expect(() => plotTable("me/x", table, { value: "b" })).toThrow(InvalidDataError);
  });
});
