/**
 * The filters and order that `api.runs()` and `stepwise runs` take, as objects (the wire
 * shapes) or as short expressions: `summary.val/acc>0.9`, `state=finished,failed`,
 * `tags~best`, `config.opt.lr<=0.01`, `summary.loss?` (exists); order `-summary.loss`,
 * `createdAt`. Parsed here, once, so the CLI and the SDK read expressions alike.
 */
import { UsageError, type RunFilterDto, type RunOrder, type RunState, RUN_STATES } from "@stepwise/protocol";

/** An object filter, or an expression such as `summary.val/acc>0.9`. */
export type RunFilterInput = RunFilterDto | string;
/** An order object, or `[-]field` such as `-summary.loss` (descending) or `createdAt`. */
export type RunOrderInput = RunOrder | string;

type ValueOp = "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "contains";

/** Longest first, so that `>=` is not read as `>` followed by `=value`. */
const OPERATORS: ReadonlyArray<readonly [string, ValueOp]> = [
  [">=", "gte"],
  ["<=", "lte"],
  ["!=", "ne"],
  ["=", "eq"],
  [">", "gt"],
  ["<", "lt"],
  ["~", "contains"],
];

const TEXT_FIELDS = ["group", "jobType", "name", "id"] as const;
const ORDER_FIELDS = ["createdAt", "name", "state", "heartbeatAt"] as const;

export function toRunFilter(input: RunFilterInput): RunFilterDto {
  return typeof input === "string" ? parseFilterExpression(input) : input;
}

export function parseRunOrder(input: RunOrderInput): RunOrder {
  if (typeof input !== "string") return input;
  const desc = input.startsWith("-");
  const name = input.replace(/^[-+]/, "");
  const field = ORDER_FIELDS.find((candidate) => candidate === name);
  if (field !== undefined) return { field, desc };
  const valuePath = splitValuePath(name);
  if (valuePath !== null) return { ...valuePath, desc };
  throw new UsageError(
    `order ${JSON.stringify(input)}: use [-]createdAt, [-]name, [-]state, [-]heartbeatAt, ` +
      "[-]summary.<key> or [-]config.<key> (- = descending)",
  );
}

/** `summary.loss?` asks that the key exists; otherwise `<field><op><value>`. */
export function parseFilterExpression(expression: string): RunFilterDto {
  const text = expression.trim();
  if (text.endsWith("?")) {
    const valuePath = splitValuePath(text.slice(0, -1));
    if (valuePath === null)
      throw filterError(expression, "only summary.<key>? and config.<key>? test existence");
    return { ...valuePath, op: "exists" };
  }
  const found = findOperator(text);
  if (found === null) throw filterError(expression, "no operator (one of = != < <= > >= ~)");
  const { at, symbol, op } = found;
  const name = text.slice(0, at).trim();
  const raw = text.slice(at + symbol.length).trim();
  if (name === "" || raw === "")
    throw filterError(expression, "a field and a value are needed on both sides");
  if (name === "state") return stateFilter(expression, op, raw);
  if (name === "tags" || name === "tag") {
    if (op !== "eq" && op !== "contains")
      throw filterError(expression, "tags take = or ~ (the run has the tag)");
    return { field: "tags", op: "contains", value: raw };
  }
  const textField = TEXT_FIELDS.find((candidate) => candidate === name);
  if (textField !== undefined) {
    if (op !== "eq" && op !== "ne" && op !== "contains")
      throw filterError(expression, `${name} takes =, != or ~ (substring)`);
    const list = raw.split(",");
    return op === "eq" && list.length > 1
      ? { field: textField, op: "in", value: list }
      : { field: textField, op, value: raw };
  }
  const valuePath = splitValuePath(name);
  if (valuePath === null)
    throw filterError(
      expression,
      "the field must be state, tags, group, jobType, name, id, summary.<key> or config.<key>",
    );
  if (op === "contains") throw filterError(expression, "~ applies to tags, group, jobType, name and id");
  checkValueText(expression, symbol, op, raw);
  const list = raw.split(",");
  if (op === "eq" && list.length > 1) return { ...valuePath, op: "in", value: list.map(parseValue) };
  return { ...valuePath, op, value: parseValue(raw) };
}

function stateFilter(expression: string, op: ValueOp, raw: string): RunFilterDto {
  const states = raw.split(",").map((state) => {
    const known = RUN_STATES.find((candidate) => candidate === state.trim());
    if (known === undefined) throw filterError(expression, `state must be one of ${RUN_STATES.join(", ")}`);
    return known;
  });
  if (op !== "eq" && op !== "ne") throw filterError(expression, "state takes = or !=");
  const [first] = states as [RunState, ...RunState[]];
  if (states.length === 1) return { field: "state", op, value: first };
  if (op === "ne") throw filterError(expression, "state!= takes one state");
  return { field: "state", op: "in", value: states };
}

function findOperator(text: string): { at: number; symbol: string; op: ValueOp } | null {
  let best: { at: number; symbol: string; op: ValueOp } | null = null;
  for (const [symbol, op] of OPERATORS) {
    const at = text.indexOf(symbol);
    if (at > 0 && (best === null || at < best.at)) best = { at, symbol, op };
  }
  return best;
}

/** `summary.val/acc` → summary, `val/acc`; the rest of the path stays dotted as the server reads it. */
function splitValuePath(name: string): { field: "summary" | "config"; path: string } | null {
  for (const field of ["summary", "config"] as const) {
    if (name.startsWith(`${field}.`) && name.length > field.length + 1)
      return { field, path: name.slice(field.length + 1) };
  }
  return null;
}

/** Numbers, booleans and null as such; quoted text as its content; any other text as a string. */
function parseValue(raw: string): unknown {
  const text = raw.trim();
  if (text === "true" || text === "false" || text === "null") return JSON.parse(text) as unknown;
  if (text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (/^".*"$/.test(text)) return JSON.parse(text) as unknown;
  return text;
}

/**
 * A typo such as `summary.acc >> 0.9` or `summary.acc > 0.9 extra` would otherwise compare with
 * the text "> 0.9" and match nothing: an unquoted value may not hold another operator, and <, <=,
 * >, >= take a number (or quoted text, to compare text on purpose).
 */
function checkValueText(expression: string, symbol: string, op: ValueOp, raw: string): void {
  if (/^".*"$/.test(raw)) return;
  if (/[<>=!~]/.test(raw))
    throw filterError(
      expression,
      `the value ${JSON.stringify(raw)} holds another operator; use one operator`,
    );
  const ordering = op === "lt" || op === "lte" || op === "gt" || op === "gte";
  if (ordering && !Number.isFinite(Number(raw)))
    throw filterError(
      expression,
      `${symbol} compares numbers and ${JSON.stringify(raw)} is not one (quote text to compare text: ${symbol}"b")`,
    );
}

function filterError(expression: string, reason: string): UsageError {
  return new UsageError(
    `filter ${JSON.stringify(expression)}: ${reason}; e.g. summary.val/acc>0.9, state=finished, tags~best`,
  );
}
