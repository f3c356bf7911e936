/**
 * The end-of-run printout: sparklines of up to 10 numeric metrics, the summary table (up to 10
 * keys), and where the data is. Keys starting with `_` are left out; `+N ...` counts the rest.
 */
import { sparkline } from "./sparkline.js";

const MAX_ROWS = 10;

export interface FooterInput {
  sparklines: Map<string, number[]>;
  summary: Record<string, unknown>;
  runDir: string;
  offline: boolean;
}

export function formatFooter(input: FooterInput): string[] {
  const lines: string[] = [];
  const history = [...input.sparklines.keys()]
    .filter((k) => !k.startsWith("_") && (input.sparklines.get(k)?.length ?? 0) > 0)
    .sort();
  if (history.length > 0) {
    lines.push("", "Run history:");
    lines.push(
      ...table(history.slice(0, MAX_ROWS).map((k) => [k, sparkline(input.sparklines.get(k) ?? [])])),
    );
    if (history.length > MAX_ROWS) lines.push(`  +${history.length - MAX_ROWS} ...`);
  }
  const summaryRows = flattenSummary(input.summary)
    .filter(([k]) => !k.startsWith("_"))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([k, value]): Array<[string, string]> => {
      const shown = formatSummaryValue(value);
      return shown === null ? [] : [[k, shown]];
    });
  if (summaryRows.length > 0) {
    lines.push("", "Run summary:");
    lines.push(...table(summaryRows.slice(0, MAX_ROWS)));
    if (summaryRows.length > MAX_ROWS) lines.push(`  +${summaryRows.length - MAX_ROWS} ...`);
  }
  lines.push("", `Run data is saved locally in ${input.runDir}`);
  lines.push(`Export it with: npx stepwise export ${input.runDir}`);
  return lines;
}

/** Numbers rounded to 5 decimals, strings cut at 20 characters, other types skipped (W&B §4.5). */
export function formatSummaryValue(value: unknown): string | null {
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(5)));
  if (typeof value === "string") return value.length >= 20 ? `${value.slice(0, 20)}...` : value;
  if (typeof value === "boolean") return String(value);
  return null;
}

/** Nested summaries and aggregations show as dotted keys (`loss.min`), as the UI names them; media (`_type`) are skipped. */
function flattenSummary(summary: Record<string, unknown>, prefix = ""): Array<[string, unknown]> {
  return Object.entries(summary).flatMap(([key, value]): Array<[string, unknown]> => {
    const name = prefix + key;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return "_type" in value ? [] : flattenSummary(value as Record<string, unknown>, `${name}.`);
    }
    return [[name, value]];
  });
}

function table(rows: Array<[string, string]>): string[] {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `  ${key.padStart(width)} ${value}`);
}
