/**
 * Which panel each structured key gets in a workspace: histogram keys a heatmap, table keys a
 * table, custom chart keys their chart (a chart's own `<key>_table` keeps its table panel too, as
 * in W&B). A key that held several kinds of values (the server's key kinds) gets a warning
 * naming them and their steps; it never loses its panel.
 */
import { joinDottedPath, type KeyKind } from "@stepwise/protocol";

export type StructuredKind = "histogram" | "table" | "custom";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const TABLE_TYPES = new Set(["table-file", "incremental-table-file"]);

/**
 * Each structured key of the runs, from what their summaries hold (the last value of each key:
 * a histogram, a table) and their custom charts (config `_wandb.visualize.<key>`, W&B's entry).
 * Summary keys are named as series are: nested objects joined with `.`.
 */
export function structuredKeysOf(
  runs: ReadonlyArray<{ summary: Json; config: Json }>,
): Map<string, StructuredKind> {
  const panels = new Map<string, StructuredKind>();
  for (const run of runs) {
    walk(run.summary, [], (key, type) => {
      if (panels.get(key) === "custom") return;
      if (type === "histogram") panels.set(key, "histogram");
      else if (TABLE_TYPES.has(type)) panels.set(key, "table");
    });
    const wandb = run.config["_wandb"];
    const visualize = isObject(wandb) ? wandb["visualize"] : undefined;
    if (isObject(visualize)) for (const key of Object.keys(visualize)) panels.set(key, "custom");
  }
  return panels;
}

/** Calls `found` for every value with a `_type` (not looking inside it), with its dotted key. */
function walk(value: Json, path: string[], found: (key: string, type: string) => void): void {
  for (const [name, member] of Object.entries(value)) {
    if (!isObject(member)) continue;
    const type = member["_type"];
    if (typeof type === "string") found(joinDottedPath([...path, name]), type);
    else if (path.length < 8) walk(member, [...path, name], found);
  }
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  number: "numbers",
  string: "strings",
  boolean: "booleans",
  histogram: "histograms",
  "table-file": "tables",
  "image-file": "images",
};

/** The warning for a key whose values changed kind, or null when it held one kind of panel. */
export function kindWarning(key: string, kinds: readonly KeyKind[], mixed: boolean): string | null {
  if (!mixed || kinds.length < 2) return null;
  const parts = kinds.map((k) => {
    const name = KIND_NAMES[k.kind] ?? k.kind;
    const steps =
      k.firstStep === null
        ? ""
        : k.firstStep === k.lastStep
          ? ` at step ${k.firstStep}`
          : ` at steps ${k.firstStep}–${k.lastStep}`;
    return `${name}${steps}`;
  });
  return `“${key}” held different kinds of values: ${parts.join(", ")}. This panel shows what it can draw; the rest is in the run's history.`;
}
