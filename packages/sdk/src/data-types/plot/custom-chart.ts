/**
 * A custom chart: a Table bound to a Vega-Lite preset (W&B's `CustomChart` / `plot_table`).
 * Logged under key K (a dotted path when nested), it becomes W&B's two writes: the table
 * logged at the top level as `"<K>_table"` (a `table-file` history value), and the config entry
 * `_wandb.visualize.<K>` naming the preset, its field and string bindings and the table key
 * (chart-config.ts). Nothing is written under K itself.
 */
import { InvalidDataError, PRESET_ID } from "@stepwise/protocol";
import { Table } from "../table/table.js";
import { isPlainObject } from "../../values/deep-merge.js";
import { TO_LOGGED, type LogContext, type Loggable, type LoggedValue } from "../../media/logged-value.js";
import { CHART_TABLE } from "../chart-marker.js";
import { loggedChart } from "./chart-config.js";

export class CustomChart implements Loggable {
  constructor(
    readonly table: Table,
    /** The preset id, e.g. `stepwise/line/v0`. */
    readonly specName: string,
    /** Preset field → column of `table` (null: unbound optional field). */
    readonly fields: Readonly<Record<string, string | null>>,
    /** Preset string field → text (title, axis titles). */
    readonly stringFields: Readonly<Record<string, string>>,
  ) {}

  /** Logged under key K in a dict: its table goes under `K_table` (log() and nested dicts). */
  [CHART_TABLE](): Loggable {
    return { [TO_LOGGED]: (ctx: LogContext) => loggedChart(this.table, this, chartKeyOf(ctx.path), ctx) };
  }

  /** Logged where no key can be added (an item of a list): the table at this very key. */
  [TO_LOGGED](ctx: LogContext): LoggedValue {
    return loggedChart(this.table, this, ctx.path.join("."), ctx);
  }
}

/** K of `…K_table`: the dotted path with the `_table` suffix taken off its last segment. */
function chartKeyOf(path: readonly string[]): string {
  return path.join(".").replace(/_table$/, "");
}

/**
 * Binds `table` to the Vega-Lite preset `vegaSpecName`: `fields` maps the preset's field names
 * to columns of the table (each must exist), `stringFields` fills its text slots.
 */
export function plotTable(
  vegaSpecName: string,
  table: Table,
  fields: Record<string, string | null | undefined>,
  stringFields: Record<string, string> = {},
): CustomChart {
  if (typeof vegaSpecName !== "string" || !PRESET_ID.test(vegaSpecName))
    throw new InvalidDataError(
      `plotTable: vegaSpecName must be a preset id like "stepwise/line/v0" (owner/name[/vN]), got ${JSON.stringify(vegaSpecName)}`,
    );
  if (!(table instanceof Table))
    throw new InvalidDataError(
      `plotTable: table must be a Table (new Table({ columns, data })), got ${typeof table}`,
    );
  if (!isPlainObject(fields))
    throw new InvalidDataError(
      'plotTable: fields must map preset fields to columns, e.g. { x: "epoch", y: "loss" }',
    );
  const bound: Record<string, string | null> = {};
  for (const [field, column] of Object.entries(fields)) {
    if (column === undefined || column === null) {
      bound[field] = null;
      continue;
    }
    if (typeof column !== "string" || !table.columns.includes(column))
      throw new InvalidDataError(
        `plotTable(${vegaSpecName}): field "${field}" names the column ${JSON.stringify(column)}, which the table does not have; ` +
          `columns: ${table.columns.map((c) => JSON.stringify(c)).join(", ") || "(none)"}`,
      );
    bound[field] = column;
  }
  if (!isPlainObject(stringFields))
    throw new InvalidDataError(
      'plotTable: stringFields must map text slots to strings, e.g. { title: "Loss" }',
    );
  for (const [name, text] of Object.entries(stringFields))
    if (typeof text !== "string")
      throw new InvalidDataError(
        `plotTable(${vegaSpecName}): string field "${name}" must be a string, got ${typeof text}`,
      );
  return new CustomChart(table, vegaSpecName, bound, { ...stringFields });
}
