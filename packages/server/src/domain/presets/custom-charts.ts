/**
 * The custom charts of a run, as W&B's SDK (and ours) record them in the run config:
 * `_wandb.visualize.<key> = { panel_type: "Vega2", panel_config: { panelDefId, fieldSettings,
 * stringSettings, userQuery: … summaryTable(tableKey) … } }`, the chart's table being the
 * history `table-file` key `<key>_table` unless the query names another. A config value may be
 * wrapped as W&B's wire format wraps it (`{ value: … }`).
 */
export interface ChartEntry {
  key: string;
  presetId: string;
  fields: Record<string, string | null>;
  stringFields: Record<string, string>;
  tableKey: string;
}

export function readCustomCharts(config: Record<string, unknown>): ChartEntry[] {
  const wandb = unwrap(config._wandb);
  const visualize = isObject(wandb) ? unwrap(wandb.visualize) : undefined;
  if (!isObject(visualize)) return [];
  const charts: ChartEntry[] = [];
  for (const [key, raw] of Object.entries(visualize)) {
    const entry = unwrap(raw);
    if (!isObject(entry) || !isObject(entry.panel_config)) continue;
    const panel = entry.panel_config;
    if (typeof panel.panelDefId !== "string") continue;
    charts.push({
      key,
      presetId: panel.panelDefId,
      fields: stringMap(panel.fieldSettings, true),
      stringFields: stringMap(panel.stringSettings, false) as Record<string, string>,
      tableKey: tableKeyOf(panel.userQuery) ?? `${key}_table`,
    });
  }
  return charts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function tableKeyOf(query: unknown): string | null {
  // userQuery.queryFields[].fields[] holds { name: "summaryTable", args: [{ name: "tableKey", value }] }.
  if (!isObject(query) || !Array.isArray(query.queryFields)) return null;
  for (const field of query.queryFields as unknown[]) {
    if (!isObject(field) || !Array.isArray(field.fields)) continue;
    for (const inner of field.fields as unknown[]) {
      if (!isObject(inner) || inner.name !== "summaryTable" || !Array.isArray(inner.args)) continue;
      for (const arg of inner.args as unknown[])
        if (isObject(arg) && arg.name === "tableKey" && typeof arg.value === "string") return arg.value;
    }
  }
  return null;
}

function stringMap(value: unknown, allowNull: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string") out[k] = v;
    else if (v === null && allowNull) out[k] = null;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
  }
  return out;
}

function unwrap(value: unknown): unknown {
  return isObject(value) && "value" in value && Object.keys(value).every((k) => k === "value" || k === "desc")
    ? value.value
    : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
