/**
 * The workspace's view state, kept in the URL query string so that every view (filter, sort,
 * columns, hidden runs, x-axis, smoothing, log scales) can be bookmarked and shared. Parsing
 * never throws: a value that does not make sense falls back to its default.
 *
 * The encoding stays readable (`/`, `:` and `,` are left as they are) and the parser decodes
 * before it splits lists and `+` as a space, so URLs built with `URLSearchParams` parse too. The
 * price: list items cannot hold a `,`, nor `px` keys a `~` (such items are dropped on format).
 */

export interface WorkspaceView {
  /** Filter expression text, e.g. `summary.val/acc > 0.9 and config.lr < 0.01` (param `filter`). */
  filter: string;
  /** Name substring (param `q`). */
  search: string;
  /** `-createdAt` (default), `name`, `-summary.val/acc`, `config.lr` … (param `sort`). */
  sort: string;
  /** `""`, `group`, `jobType` or `config.<path>` (param `groupBy`). */
  groupBy: string;
  /** Run ids hidden from the charts (param `hidden`); see lib/run-visibility.ts for `*`. */
  hidden: string[];
  /** Extra table columns: `config.lr`, `summary.val/acc` (param `cols`). */
  columns: string[];
  /** Workspace x-axis; `""` = each metric's default (param `x`). */
  xAxis: string;
  /** `""` (none), `ema:<weight 0..0.999>` or `avg:<window>` (param `smooth`). */
  smoothing: string;
  /** Chart keys drawn on a log y-scale (param `logy`). */
  logScale: string[];
  /** Per-chart x-axis overrides, key → axis (param `px`, `key~axis` comma list). */
  panelX: Record<string, string>;
  /** Metric search over the charts: text, or `/regex/` (param `metrics`; lib/metric-search.ts). */
  metricSearch: string;
}

export const defaultWorkspaceView: WorkspaceView = Object.freeze({
  filter: "",
  search: "",
  sort: "-createdAt",
  groupBy: "",
  hidden: [],
  columns: [],
  xAxis: "",
  smoothing: "",
  logScale: [],
  panelX: {},
  metricSearch: "",
});

const SORT_PATTERN = /^-?(createdAt|name|state|runtime|group|jobType|tags|heartbeatAt|(config|summary)\..+)$/;
const GROUP_BY_PATTERN = /^(group|jobType|config\..+)$/;
const COLUMN_PATTERN = /^(config|summary)\..+$/;
const EMA_PATTERN = /^ema:(\d+(\.\d+)?)$/;
const AVG_PATTERN = /^avg:(\d{1,6})$/;
/** Longer values are not something a person typed; they are dropped rather than kept. */
const MAX_TEXT = 4096;

/** Reads the view from `location.search` (with or without the leading `?`). */
export function parseWorkspaceView(search: string): WorkspaceView {
  const raw = rawParams(search);
  const text = (name: string): string => {
    const value = raw.get(name);
    return value === undefined ? "" : decode(value);
  };
  const list = (name: string): string[] => {
    const value = raw.get(name);
    if (value === undefined) return [];
    return unique(decode(value).split(",")).filter((item) => item !== "" && item.length <= MAX_TEXT);
  };
  const sort = text("sort");
  const groupBy = text("groupBy");
  const xAxis = text("x");
  return {
    filter: limit(text("filter")),
    search: limit(text("q")),
    sort: SORT_PATTERN.test(sort) ? sort : defaultWorkspaceView.sort,
    groupBy: GROUP_BY_PATTERN.test(groupBy) ? groupBy : "",
    hidden: list("hidden"),
    columns: list("cols").filter((column) => COLUMN_PATTERN.test(column)),
    xAxis: limit(xAxis),
    smoothing: validSmoothing(text("smooth")),
    logScale: list("logy"),
    panelX: parsePanelX(raw.get("px") ?? ""),
    metricSearch: limit(text("metrics")),
  };
}

/** The query string (without `?`) for a view: defaults omitted, parameters in a stable order. */
export function formatWorkspaceView(view: WorkspaceView): string {
  const parts: string[] = [];
  const add = (name: string, value: string): void => {
    if (value !== "") parts.push(`${name}=${value}`);
  };
  add("filter", encode(view.filter));
  add("q", encode(view.search));
  if (view.sort !== defaultWorkspaceView.sort) add("sort", encode(view.sort));
  add("groupBy", encode(view.groupBy));
  add("cols", encodeList(view.columns));
  add("hidden", encodeList(view.hidden));
  add("x", encode(view.xAxis));
  add("smooth", encode(view.smoothing));
  add("logy", encodeList(view.logScale));
  const panelX = Object.entries(view.panelX)
    .filter(([key, axis]) => isListItem(key) && !key.includes("~") && isListItem(axis))
    .map(([key, axis]) => `${encode(key)}~${encode(axis)}`);
  add("px", panelX.join(","));
  add("metrics", encode(view.metricSearch));
  return parts.join("&");
}

/** Fields in `patch` replace those of `view`; the rest is kept. */
export function patchWorkspaceView(view: WorkspaceView, patch: Partial<WorkspaceView>): WorkspaceView {
  return { ...view, ...patch };
}

function rawParams(search: string): Map<string, string> {
  const params = new Map<string, string>();
  const query = search.startsWith("?") ? search.slice(1) : search;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    // The first occurrence wins, as with URLSearchParams.get.
    if (!params.has(name)) params.set(name, eq === -1 ? "" : pair.slice(eq + 1));
  }
  return params;
}

function decode(text: string): string {
  const spaced = text.replaceAll("+", " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** encodeURIComponent, then readable again where it is safe in a query value. */
function encode(text: string): string {
  return encodeURIComponent(text).replaceAll("%2F", "/").replaceAll("%3A", ":").replaceAll("%2C", ",");
}

function isListItem(item: string): boolean {
  return item !== "" && !item.includes(",");
}

function encodeList(items: readonly string[]): string {
  return items.filter(isListItem).map(encode).join(",");
}

/** `key~axis` pairs; the axis may hold a `~`, the key may not. */
function parsePanelX(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of decode(raw).split(",")) {
    const tilde = item.indexOf("~");
    if (tilde <= 0 || tilde === item.length - 1) continue;
    const key = item.slice(0, tilde);
    const axis = item.slice(tilde + 1);
    // `__proto__` as a key would replace the record's prototype instead of adding an entry.
    if (key === "__proto__" || key.length > MAX_TEXT || axis.length > MAX_TEXT) continue;
    out[key] = axis;
  }
  return out;
}

function validSmoothing(text: string): string {
  const ema = EMA_PATTERN.exec(text);
  if (ema !== null) return Number(ema[1]) <= 0.999 ? text : "";
  const avg = AVG_PATTERN.exec(text);
  if (avg !== null) return Number(avg[1]) >= 1 ? text : "";
  return "";
}

function limit(text: string): string {
  return text.length <= MAX_TEXT ? text : "";
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
