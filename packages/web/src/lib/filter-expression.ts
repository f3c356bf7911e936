/**
 * The workspace's filter language → the protocol's run filters, which the server ANDs:
 *
 *   summary.val/acc > 0.9 and config.lr < 0.01
 *   config.opt.name = "adam"    config.model in ("resnet", "vit")    exists summary.loss
 *   state in (running, finished)    tags contains best    name contains abc    jobType = train
 *
 * `config.<path>` / `summary.<path>` take a dotted path exactly as the server reads it (`a\.b` is
 * the key "a.b"; `/` is an ordinary character, so `summary.val/acc` is the key "val/acc").
 * Keywords are case-insensitive; bare words are strings, `true`/`false`/`null` literals. A
 * syntax error names what was expected and its 1-based column.
 */
import { RUN_STATES, type RunFilterDto, type RunState } from "@stepwise/protocol";
import { FilterSyntaxError, tokenizeFilter, type FilterToken } from "./filter-tokens.js";

export type FilterParseResult =
  { ok: true; filters: RunFilterDto[] } | { ok: false; message: string; column: number };

type Scalar = string | number | boolean | null;
/** A value as read (`scalar`) and as written (`text`): `id = 007` means the text "007". */
interface Value {
  scalar: Scalar;
  text: string;
}
type Field = "state" | "tags" | "group" | "jobType" | "name" | "id" | "config" | "summary";
type Op = "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "contains" | "exists";

const FIELDS: Record<string, Field> = {
  state: "state",
  tags: "tags",
  tag: "tags",
  group: "group",
  jobtype: "jobType",
  job_type: "jobType",
  name: "name",
  id: "id",
};
const OPS: Record<string, Op> = {
  "=": "eq",
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};
const LITERALS = new Map<string, Scalar>([
  ["true", true],
  ["false", false],
  ["null", null],
]);
const FIELD_LIST = "config.<key>, summary.<key>, state, tags, group, jobType, name or id";

export function parseFilterExpression(text: string): FilterParseResult {
  try {
    return { ok: true, filters: new Parser(tokenizeFilter(text)).parse() };
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      return { ok: false, message: error.message, column: error.column };
    throw error;
  }
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: FilterToken[]) {}

  parse(): RunFilterDto[] {
    const filters: RunFilterDto[] = [];
    if (this.peek().kind === "end") return filters;
    for (;;) {
      filters.push(this.clause());
      const next = this.peek();
      if (next.kind === "end") return filters;
      if (next.kind === "and" || isKeyword(next, "and")) {
        this.index++;
        continue;
      }
      if (next.kind === "or" || isKeyword(next, "or")) {
        throw this.error(`only \`and\` is supported (the server ANDs filters): \`${next.text}\``, next);
      }
      throw this.error(`expected \`and\` or the end, found ${describe(next)}`, next);
    }
  }

  private clause(): RunFilterDto {
    const first = this.peek();
    if (isKeyword(first, "exists")) {
      this.index++;
      const key = this.key();
      return existsFilter(key, this.previous());
    }
    const key = this.key();
    const keyToken = this.previous();
    const opToken = this.next();
    if (isKeyword(opToken, "exists")) return existsFilter(key, keyToken);
    if (isKeyword(opToken, "in")) return build(key, "in", this.list(), opToken);
    if (isKeyword(opToken, "contains") || (opToken.kind === "op" && opToken.text === "~")) {
      return build(key, "contains", this.value(opToken), opToken);
    }
    if (opToken.kind === "op") {
      const op = OPS[opToken.text];
      if (op !== undefined) return build(key, op, this.value(opToken), opToken);
    }
    throw this.error(
      `expected an operator (= != < <= > >= in contains exists) after \`${keyToken.text}\`, found ${describe(opToken)}`,
      opToken,
    );
  }

  private key(): { field: Field; path: string } {
    const token = this.next();
    if (token.kind !== "word" || isKeyword(token, "and") || isKeyword(token, "or")) {
      throw this.error(`expected a key such as summary.val/acc or state, found ${describe(token)}`, token);
    }
    const dot = token.text.indexOf(".");
    const head = (dot === -1 ? token.text : token.text.slice(0, dot)).toLowerCase();
    if (head === "config" || head === "summary") {
      const path = dot === -1 ? "" : token.text.slice(dot + 1);
      if (path === "" || path.startsWith(".") || path.endsWith(".") || path.includes("..")) {
        throw this.error(`expected a key path after \`${head}.\`, e.g. ${head}.opt.lr`, token);
      }
      return { field: head, path };
    }
    const field = dot === -1 ? FIELDS[head] : undefined;
    if (field === undefined) throw this.error(`unknown key \`${token.text}\`; use ${FIELD_LIST}`, token);
    return { field, path: "" };
  }

  private value(after: FilterToken): Value {
    const token = this.next();
    if (token.kind === "number") return { scalar: token.value, text: token.text };
    if (token.kind === "string") return { scalar: token.value, text: token.value };
    if (token.kind === "word" && !isKeyword(token, "and") && !isKeyword(token, "or")) {
      const lower = token.text.toLowerCase();
      const literal = LITERALS.get(lower);
      return { scalar: literal === undefined ? token.text : literal, text: token.text };
    }
    throw this.error(`expected a value after \`${after.text}\`, found ${describe(token)}`, token);
  }

  private list(): Value[] {
    const open = this.next();
    if (open.kind !== "punct" || (open.text !== "(" && open.text !== "[")) {
      throw this.error(`expected a list such as ("a", "b") after \`in\`, found ${describe(open)}`, open);
    }
    const close = open.text === "(" ? ")" : "]";
    const items: Value[] = [this.value(open)];
    for (;;) {
      const token = this.next();
      if (token.kind === "punct" && token.text === close) return items;
      if (token.kind !== "punct" || token.text !== ",") {
        throw this.error(`expected \`,\` or \`${close}\` in the list, found ${describe(token)}`, token);
      }
      items.push(this.value(token));
    }
  }

  private peek(): FilterToken {
    return this.tokens[this.index] as FilterToken;
  }
  private next(): FilterToken {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }
  private previous(): FilterToken {
    return this.tokens[this.index - 1] as FilterToken;
  }
  private error(message: string, token: FilterToken): FilterSyntaxError {
    return new FilterSyntaxError(`${message} at column ${token.start + 1}`, token.start + 1);
  }
}

function existsFilter(key: { field: Field; path: string }, token: FilterToken): RunFilterDto {
  if (key.field !== "config" && key.field !== "summary") {
    throw new FilterSyntaxError(
      `\`exists\` applies to config.<key> and summary.<key>, not \`${key.field}\` at column ${token.start + 1}`,
      token.start + 1,
    );
  }
  return { field: key.field, path: key.path, op: "exists" };
}

/** One filter in the wire shape, after checking that the field takes this operator and value. */
function build(
  key: { field: Field; path: string },
  op: Op,
  parsed: Value | Value[],
  at: FilterToken,
): RunFilterDto {
  const fail = (message: string): never => {
    throw new FilterSyntaxError(`${message} at column ${at.start + 1}`, at.start + 1);
  };
  const { field, path } = key;
  if (field === "config" || field === "summary") {
    if (op === "contains")
      return fail(`\`contains\` works on tags, name, group, jobType and id, not ${field} values`);
    if (Array.isArray(parsed)) return { field, path, op, value: parsed.map((v) => v.scalar) };
    const value = parsed.scalar;
    if (isOrdering(op) && typeof value !== "number" && typeof value !== "string") {
      return fail(`\`${at.text}\` compares with a number or a string, not ${String(value)}`);
    }
    return { field, path, op, value };
  }
  const texts = (Array.isArray(parsed) ? parsed : [parsed]).map((v) => v.text);
  if (field === "state") {
    if (op !== "eq" && op !== "ne" && op !== "in") return fail("`state` takes =, != or in");
    const states = texts.map((text) => asState(text, fail));
    return { field, op, value: op === "in" ? states : (states[0] as RunState) };
  }
  if (field === "tags") {
    if (op !== "contains" && op !== "eq") return fail("`tags` takes contains (or =): tags contains best");
    if (Array.isArray(parsed)) return fail("`tags` takes one tag");
    return { field, op: "contains", value: parsed.text };
  }
  if (op !== "eq" && op !== "ne" && op !== "in" && op !== "contains") {
    return fail(`\`${field}\` takes =, !=, in or contains`);
  }
  return { field, op, value: Array.isArray(parsed) ? texts : parsed.text };
}

function isOrdering(op: Op): boolean {
  return op === "lt" || op === "lte" || op === "gt" || op === "gte";
}

function asState(text: string, fail: (message: string) => never): RunState {
  const state = RUN_STATES.find((s) => s === text.toLowerCase());
  return state ?? fail(`unknown state \`${text}\`; use ${RUN_STATES.join(", ")}`);
}

function isKeyword(token: FilterToken, keyword: string): boolean {
  return token.kind === "word" && token.text.toLowerCase() === keyword;
}

function describe(token: FilterToken): string {
  return token.kind === "end" ? "the end" : `\`${token.text}\``;
}
