/**
 * What logging a custom chart under key K writes besides its table: W&B's config entry
 * `_wandb.visualize.<K>` (wandb/plot/custom_chart.py `CustomChartSpec.config_value`), which the
 * server resolves into the run's charts and the W&B-compatible API carries unchanged.
 */
import { TO_LOGGED, type LogContext, type Loggable, type LoggedValue } from "../../media/logged-value.js";

/** The config entry of a chart drawing the table logged under `tableKey`. */
export function visualizeEntry(chart: CustomChart, tableKey: string): Record<string, unknown> {
  return {
    panel_type: "Vega2",
    panel_config: {
      panelDefId: chart.specName,
      fieldSettings: { ...chart.fields },
      stringSettings: { ...chart.stringFields },
      transform: { name: "tableWithLeafColNames" },
      userQuery: {
        queryFields: [
          {
            name: "runSets",
            args: [{ name: "runSets", value: "${runSets}" }],
            fields: [
              { name: "id", fields: [] },
              { name: "name", fields: [] },
              { name: "_defaultColorIndex", fields: [] },
              { name: "summaryTable", args: [{ name: "tableKey", value: tableKey }], fields: [] },
            ],
          },
        ],
      },
    },
  };
}

/** The table of a chart with W&B's config entry `_wandb.visualize.<chartKey>`. */
export function loggedChart(
  table: Loggable,
  chart: CustomChart,
  chartKey: string,
  ctx: LogContext,
): LoggedValue {
  const logged = table[TO_LOGGED](ctx);
  const value = visualizeEntry(chart, ctx.path.join("."));
  return {
    ...logged,
    config: [...(logged.config ?? []), { path: () => ["_wandb", "visualize", chartKey], value }],
  };
}

/** Minimal view of a chart this module needs (custom-chart.ts imports this module). */
interface CustomChart {
  readonly specName: string;
  readonly fields: Readonly<Record<string, string | null>>;
  readonly stringFields: Readonly<Record<string, string>>;
}
