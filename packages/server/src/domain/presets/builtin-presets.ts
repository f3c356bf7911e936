/**
 * The chart presets shipped with the server, one per SDK `plot.*` preset (W&B's
 * `wandb/<name>/vN`, under our owner): Vega-Lite v5 specs whose data is `{ "name": "table" }`,
 * with `${field:<name>}` where a bound column goes and `${string:<name>}` where bound text goes
 * (render-preset.ts). The ids the SDK writes (`stepwise/lineseries/v0`,
 * `stepwise/area-under-curve/v0`, `stepwise/confusion_matrix/v1`) and W&B's own ids resolve to
 * the same specs (presetAlias), so runs logged by W&B's SDK draw too.
 */
import type { ChartPreset } from "@stepwise/protocol";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const base = { $schema: SCHEMA, title: "${string:title}", data: { name: "table" }, width: "container" };
const q = (slot: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  field: `\${field:${slot}}`,
  type: "quantitative",
  ...extra,
});
const n = (slot: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  field: `\${field:${slot}}`,
  type: "nominal",
  ...extra,
});
const field = (name: string, description: string, required = true): ChartPreset["fields"][number] => ({
  name,
  description,
  required,
});
const text = (name: string, value = ""): ChartPreset["stringFields"][number] => ({
  name,
  description: "",
  default: value,
});

function preset(
  id: string,
  name: string,
  description: string,
  parts: Pick<ChartPreset, "fields" | "stringFields" | "spec"> & { overlay?: boolean },
): ChartPreset {
  return {
    id,
    builtin: true,
    name,
    description,
    overlay: parts.overlay ?? true,
    fields: parts.fields,
    stringFields: parts.stringFields,
    spec: parts.spec,
    createdAt: null,
    updatedAt: null,
  };
}

function curve(id: string, name: string, title: string, xTitle: string, yTitle: string): ChartPreset {
  return preset(id, name, `${name} per class (plot.${id.includes("roc") ? "rocCurve" : "prCurve"})`, {
    fields: [field("x", "x column"), field("y", "y column"), field("class", "class column")],
    stringFields: [text("title", title), text("x-axis-title", xTitle), text("y-axis-title", yTitle)],
    spec: {
      ...base,
      mark: { type: "line", tooltip: true, interpolate: "linear" },
      encoding: {
        x: q("x", { title: "${string:x-axis-title}", scale: { domain: [0, 1] } }),
        y: q("y", { title: "${string:y-axis-title}", scale: { domain: [0, 1] } }),
        color: n("class", { title: "class" }),
      },
    },
  });
}

const CONFUSION = preset(
  "stepwise/confusion-matrix/v0",
  "Confusion matrix",
  "Counts of actual × predicted classes (plot.confusionMatrix)",
  {
    overlay: false,
    fields: [
      field("Actual", "actual class column"),
      field("Predicted", "predicted class column"),
      field("nPredictions", "count column"),
    ],
    stringFields: [text("title", "Confusion Matrix Curve")],
    spec: {
      ...base,
      encoding: { x: n("Predicted", { title: "Predicted" }), y: n("Actual", { title: "Actual" }) },
      layer: [
        { mark: { type: "rect", tooltip: true }, encoding: { color: q("nPredictions", { title: "count" }) } },
        { mark: { type: "text" }, encoding: { text: q("nPredictions") } },
      ],
    },
  },
);

const PR = curve("stepwise/pr-curve/v0", "PR curve", "Precision-Recall Curve", "Recall", "Precision");

export const BUILTIN_PRESETS: readonly ChartPreset[] = [
  preset("stepwise/line/v0", "Line", "Column y against column x, one line per value of stroke (plot.line)", {
    fields: [
      field("x", "x column"),
      field("y", "y column"),
      field("stroke", "column that splits lines", false),
    ],
    stringFields: [text("title")],
    spec: {
      ...base,
      mark: { type: "line", tooltip: true },
      encoding: { x: q("x"), y: q("y"), color: n("stroke") },
    },
  }),
  preset("stepwise/scatter/v0", "Scatter", "Column y against column x as points (plot.scatter)", {
    fields: [field("x", "x column"), field("y", "y column")],
    stringFields: [text("title")],
    spec: { ...base, mark: { type: "point", tooltip: true }, encoding: { x: q("x"), y: q("y") } },
  }),
  preset("stepwise/bar/v0", "Bar", "One bar per row: label against value (plot.bar)", {
    fields: [field("label", "label column"), field("value", "value column")],
    stringFields: [text("title")],
    spec: {
      ...base,
      mark: { type: "bar", tooltip: true },
      encoding: { x: n("label", { sort: null }), y: q("value") },
    },
  }),
  preset("stepwise/histogram/v0", "Histogram", "The distribution of one column, binned (plot.histogram)", {
    fields: [field("value", "value column")],
    stringFields: [text("title")],
    spec: {
      ...base,
      mark: { type: "bar", tooltip: true },
      encoding: { x: q("value", { bin: { maxbins: 64 } }), y: { aggregate: "count", type: "quantitative" } },
    },
  }),
  preset("stepwise/lineseries/v0", "Line series", "Several named lines over a shared x (plot.lineSeries)", {
    fields: [field("step", "x column"), field("lineKey", "line name column"), field("lineVal", "y column")],
    stringFields: [text("title"), text("xname", "x")],
    spec: {
      ...base,
      mark: { type: "line", tooltip: true },
      encoding: {
        x: q("step", { title: "${string:xname}" }),
        y: q("lineVal", { title: "y" }),
        color: n("lineKey", { title: "line" }),
      },
    },
  }),
  PR,
  curve("stepwise/roc-curve/v0", "ROC curve", "ROC Curve", "False positive rate", "True positive rate"),
  {
    ...PR,
    id: "stepwise/area-under-curve/v0",
    name: "Area under curve",
    description: "A curve per class (plot.prCurve, plot.rocCurve)",
  },
  CONFUSION,
];

/** Other ids of the built-in specs: the SDK's spelling of W&B's names, and W&B's own. */
const ALIASES: Record<string, string> = {
  "stepwise/line-series/v0": "stepwise/lineseries/v0",
  "stepwise/confusion_matrix/v1": "stepwise/confusion-matrix/v0",
  "wandb/line/v0": "stepwise/line/v0",
  "wandb/scatter/v0": "stepwise/scatter/v0",
  "wandb/bar/v0": "stepwise/bar/v0",
  "wandb/histogram/v0": "stepwise/histogram/v0",
  "wandb/lineseries/v0": "stepwise/lineseries/v0",
  "wandb/area-under-curve/v0": "stepwise/area-under-curve/v0",
  "wandb/confusion_matrix/v1": "stepwise/confusion-matrix/v0",
};

/** The built-in preset an id names (its own id or an alias), with that id; null for others. */
export function builtinPreset(id: string): ChartPreset | null {
  const target = ALIASES[id] ?? id;
  const found = BUILTIN_PRESETS.find((p) => p.id === target);
  return found === undefined ? null : { ...found, id };
}

/** Whether an id is reserved for built-ins (owner `stepwise` or `wandb`). */
export function isBuiltinOwner(id: string): boolean {
  const owner = id.split("/")[0];
  return owner === "stepwise" || owner === "wandb";
}
