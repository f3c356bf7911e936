/**
 * Which keys get a chart: the numeric leaves of the runs' summaries, named as the server names
 * series (dotted paths, a literal `.` in a segment written `\.`: `{train: {lr: 1}}` → `train.lr`),
 * without `_` bookkeeping keys and metrics defined as hidden. A metric defined with summary
 * aggregations keeps `{min, max, …}` in the summary: that object is one key, not `loss.min`.
 * A metric whose summary is `none` has no summary value, so its definition names it instead.
 */
import { joinDottedPath, type MetricRecord, type RunDto } from "@stepwise/protocol";

export interface ChartKey {
  key: string;
  /** The x-axis the key is charted against by default: its metric's stepMetric, else `_step`. */
  defaultX: string;
}

export const DEFAULT_X_AXIS = "_step";

type RunMetrics = Pick<RunDto, "summary" | "metrics">;

/**
 * The chartable keys of all runs together, each once, in no particular order (sections sort them).
 * With `logged` (the series keys the server has for the runs), a key must also be in it: a key
 * only the summary holds has no points to draw.
 */
export function chartKeys(runs: readonly RunMetrics[], logged?: ReadonlySet<string>): ChartKey[] {
  const keys = new Map<string, string>();
  const hidden = new Set<string>();
  for (const run of runs) {
    const defs = definitionsByKey(run.metrics);
    const hiddenGlobs = run.metrics.filter((m) => m.glob && m.hidden).map((m) => m.name.slice(0, -1));
    for (const [key, def] of defs) if (def.hidden) hidden.add(key);
    const add = (key: string): void => {
      if (key.startsWith("_") || hiddenGlobs.some((prefix) => key.startsWith(prefix))) return;
      const stepMetric = defs.get(key)?.stepMetric ?? null;
      const known = keys.get(key);
      if (known === undefined || (known === DEFAULT_X_AXIS && stepMetric !== null)) {
        keys.set(key, stepMetric ?? DEFAULT_X_AXIS);
      }
    };
    collectLeaves(run.summary, [], defs, add);
    for (const [key, def] of defs) if (def.summary.includes("none")) add(key);
  }
  return [...keys]
    .filter(([key]) => !hidden.has(key) && (logged === undefined || logged.has(key)))
    .map(([key, defaultX]) => ({ key, defaultX }));
}

/**
 * The chartable keys among `logged` (series keys the server listed for the runs, perhaps one
 * page of them): without `_` keys and hidden metrics, each with its default x-axis. Walks the
 * runs' metric definitions only, never their summaries, which may hold 100,000 keys.
 */
export function chartKeysOf(runs: readonly Pick<RunDto, "metrics">[], logged: readonly string[]): ChartKey[] {
  const stepMetrics = new Map<string, string>();
  const hidden = new Set<string>();
  const hiddenGlobs: string[] = [];
  for (const run of runs) {
    for (const [key, def] of definitionsByKey(run.metrics)) {
      if (def.hidden) hidden.add(key);
      if (def.stepMetric !== null && !stepMetrics.has(key)) stepMetrics.set(key, def.stepMetric);
    }
    for (const m of run.metrics) if (m.glob && m.hidden) hiddenGlobs.push(m.name.slice(0, -1));
  }
  return logged
    .filter(
      (key) =>
        !key.startsWith("_") && !hidden.has(key) && !hiddenGlobs.some((prefix) => key.startsWith(prefix)),
    )
    .map((key) => ({ key, defaultX: stepMetrics.get(key) ?? DEFAULT_X_AXIS }));
}

/** A run's concrete (non-glob) metric definitions by series key. */
function definitionsByKey(metrics: readonly MetricRecord[]): Map<string, MetricRecord> {
  const out = new Map<string, MetricRecord>();
  for (const m of metrics) if (!m.glob && m.path !== null) out.set(joinDottedPath(m.path), m);
  return out;
}

function collectLeaves(
  node: Record<string, unknown>,
  path: string[],
  defs: ReadonlyMap<string, MetricRecord>,
  add: (key: string) => void,
): void {
  for (const [name, value] of Object.entries(node)) {
    const segments = [...path, name];
    if (typeof value === "number") {
      add(joinDottedPath(segments));
    } else if (typeof value === "object" && value !== null && !Array.isArray(value) && !("_type" in value)) {
      const key = joinDottedPath(segments);
      if (isAggregated(defs.get(key), value)) add(key);
      else collectLeaves(value as Record<string, unknown>, segments, defs, add);
    }
  }
}

/** A metric with aggregations other than `none` holds its summary as `{min: …, max: …}`. */
function isAggregated(def: MetricRecord | undefined, value: object): boolean {
  if (def === undefined || !def.summary.some((op) => op !== "none")) return false;
  return Object.keys(value).every((name) => (def.summary as readonly string[]).includes(name));
}
