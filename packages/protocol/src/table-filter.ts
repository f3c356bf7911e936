/**
 * The table filter language, parsed once here for the server (which compiles it to SQL) and the
 * web UI (which checks an expression as it is typed):
 *
 *   acc > 0.9 and label in ("cat", "dog")      not (split = "test" or score is null)
 *   `val loss` <= 1e-3                          caption contains "red"      ok = true
 *
 * A column is a bare name (letters, digits, `_ . /`) or in backquotes (`` `any name` ``, a
 * backquote doubled inside); a value is a number, a quoted string ("…" or '…', backslash
 * escapes), `true`, `false`, `null` or a bare word (a string). `and` binds tighter than `or`;
 * keywords are case-insensitive. Comparisons: `= == != <> < <= > >=`, `in (…)`, `contains`
 * (substring of the text), `is null`, `is not null`. A syntax error names what was expected and
 * its 1-based column. At most TABLE_FILTER_MAX_TESTS comparisons, nested (parentheses and
 * `not`) at most TABLE_FILTER_MAX_DEPTH deep: SQLite refuses expressions 1,000 deep.
 */
export const TABLE_FILTER_MAX_TESTS = 256;
export const TABLE_FILTER_MAX_DEPTH = 32;
export type TableFilterScalar = string | number | boolean | null;
export type TableFilterComparison = "eq" | "ne" | "lt" | "lte" | "gt" | "gte";
export type TableFilter =
  | { op: "and" | "or"; args: TableFilter[] }
  | { op: "not"; arg: TableFilter }
  | { op: "cmp"; column: string; cmp: TableFilterComparison; value: TableFilterScalar }
  | { op: "in"; column: string; values: TableFilterScalar[] }
  | { op: "contains"; column: string; value: string }
  | { op: "isNull"; column: string; negate: boolean };

export type TableFilterParseResult =
  { ok: true; filter: TableFilter | null } | { ok: false; message: string; column: number };

type TokenKind = "word" | "quoted" | "column" | "number" | "op" | "(" | ")" | "," | "end";
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const COMPARISONS: Record<string, TableFilterComparison> = {
  "=": "eq",
  "==": "eq",
  "!=": "ne",
  "<>": "ne",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};
const WORD = /[A-Za-z0-9_./]/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses a filter expression; an empty one (only spaces) is no filter (`filter: null`). */
export function parseTableFilter(text: string): TableFilterParseResult {
  try {
    const parser = new Parser(tokenize(text));
    return { ok: true, filter: parser.parse() };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, message: error.message, column: error.at + 1 };
    throw error;
  }
}

/** Every column a filter names, once each, in order of appearance. */
export function tableFilterColumns(filter: TableFilter | null): string[] {
  const seen = new Set<string>();
  const visit = (f: TableFilter): void => {
    if (f.op === "and" || f.op === "or") f.args.forEach(visit);
    else if (f.op === "not") visit(f.arg);
    else if ("column" in f) seen.add(f.column);
  };
  if (filter !== null) visit(filter);
  return [...seen];
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c, at: i++ });
    } else if ("=!<>~".includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ["==", "!=", "<=", ">=", "<>"].includes(two) ? two : c;
      if (op === "!" || op === "~")
        throw new SyntaxProblem(`unknown operator \`${op}\`; use != or contains`, i);
      tokens.push({ kind: "op", text: op, at: i });
      i += op.length;
    } else if (c === '"' || c === "'" || c === "`") {
      const [value, end] = readQuoted(text, i, c);
      tokens.push({ kind: c === "`" ? "column" : "quoted", text: value, at: i });
      i = end;
    } else if (WORD.test(c) || c === "-") {
      let end = i + 1;
      while (end < text.length && (WORD.test(text[end] ?? "") || /[eE][-+]$/.test(text.slice(i, end + 1))))
        end++;
      const word = text.slice(i, end);
      tokens.push({ kind: NUMBER.test(word) ? "number" : "word", text: word, at: i });
      i = end;
    } else {
      throw new SyntaxProblem(`unexpected character \`${c}\``, i);
    }
  }
  tokens.push({ kind: "end", text: "end of expression", at: text.length });
  return tokens;
}

function readQuoted(text: string, start: number, quote: string): [string, number] {
  let out = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (quote === "`" && c === "`") {
      if (text[i + 1] === "`") {
        out += "`";
        i += 2;
        continue;
      }
      return [out, i + 1];
    }
    if (quote !== "`" && c === "\\" && i + 1 < text.length) {
      const next = text[i + 1] ?? "";
      out += next === "n" ? "\n" : next === "t" ? "\t" : next;
      i += 2;
      continue;
    }
    if (c === quote) return [out, i + 1];
    out += c;
    i++;
  }
  throw new SyntaxProblem(`unterminated ${quote} quote`, start);
}

class Parser {
  private index = 0;
  private depth = 0;
  private tests = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): TableFilter | null {
    if (this.peek().kind === "end") return null;
    const filter = this.or();
    const next = this.peek();
    if (next.kind !== "end")
      throw new SyntaxProblem(`expected \`and\`, \`or\` or the end, found \`${next.text}\``, next.at);
    return filter;
  }

  private or(): TableFilter {
    const args = [this.and()];
    while (this.keyword("or")) args.push(this.and());
    return args.length === 1 && args[0] !== undefined ? args[0] : { op: "or", args };
  }

  private and(): TableFilter {
    const args = [this.not()];
    while (this.keyword("and")) args.push(this.not());
    return args.length === 1 && args[0] !== undefined ? args[0] : { op: "and", args };
  }

  private not(): TableFilter {
    const at = this.peek().at;
    if (this.keyword("not")) return { op: "not", arg: this.nested(at, () => this.not()) };
    if (this.peek().kind === "(") {
      this.index++;
      const inner = this.nested(at, () => this.or());
      this.expect(")");
      return inner;
    }
    if (++this.tests > TABLE_FILTER_MAX_TESTS)
      throw new SyntaxProblem(`more than ${TABLE_FILTER_MAX_TESTS} comparisons; split the filter`, at);
    return this.comparison();
  }

  private nested(at: number, parse: () => TableFilter): TableFilter {
    if (++this.depth > TABLE_FILTER_MAX_DEPTH)
      throw new SyntaxProblem(
        `nested more than ${TABLE_FILTER_MAX_DEPTH} deep (parentheses and \`not\`)`,
        at,
      );
    const inner = parse();
    this.depth--;
    return inner;
  }

  private comparison(): TableFilter {
    const name = this.next();
    if (name.kind !== "word" && name.kind !== "column")
      throw new SyntaxProblem(`expected a column name, found \`${name.text}\``, name.at);
    const column = name.text;
    if (this.keyword("is")) {
      const negate = this.keyword("not");
      if (!this.keyword("null")) throw new SyntaxProblem("expected `null` after `is`", this.peek().at);
      return { op: "isNull", column, negate };
    }
    if (this.keyword("in")) {
      this.expect("(");
      const values = [this.value()];
      while (this.peek().kind === ",") {
        this.index++;
        values.push(this.value());
      }
      this.expect(")");
      return { op: "in", column, values };
    }
    if (this.keyword("contains")) {
      const value = this.value();
      return { op: "contains", column, value: String(value) };
    }
    const op = this.next();
    const cmp = op.kind === "op" ? COMPARISONS[op.text] : undefined;
    if (cmp === undefined)
      throw new SyntaxProblem(
        `expected an operator after \`${column}\` (= != < <= > >= in contains is), found \`${op.text}\``,
        op.at,
      );
    return { op: "cmp", column, cmp, value: this.value() };
  }

  private value(): TableFilterScalar {
    const token = this.next();
    if (token.kind === "number") return Number(token.text);
    if (token.kind === "quoted") return token.text;
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      return token.text;
    }
    throw new SyntaxProblem(`expected a value, found \`${token.text}\``, token.at);
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === "word" && token.text.toLowerCase() === word) {
      this.index++;
      return true;
    }
    return false;
  }

  private expect(kind: TokenKind): void {
    const token = this.next();
    if (token.kind !== kind)
      throw new SyntaxProblem(`expected \`${kind}\`, found \`${token.text}\``, token.at);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: "end", text: "end of expression", at: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }
}
