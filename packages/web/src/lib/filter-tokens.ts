/**
 * The lexer of the workspace's filter language (lib/filter-expression.ts): words (keys, bare
 * values, keywords), numbers, quoted strings, comparison operators, `(`, `)`, `[`, `]`, `,`,
 * `&&` and `||`. Positions are 0-based offsets; the parser turns them into 1-based columns.
 */

export type FilterToken =
  | { kind: "word"; text: string; start: number }
  | { kind: "number"; value: number; text: string; start: number }
  | { kind: "string"; value: string; text: string; start: number }
  | { kind: "op"; text: Operator; start: number }
  | { kind: "punct"; text: "(" | ")" | "[" | "]" | ","; start: number }
  | { kind: "and" | "or"; text: string; start: number }
  | { kind: "end"; text: ""; start: number };

export type Operator = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~";

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based column the problem starts at. */
    readonly column: number,
  ) {
    super(message);
    this.name = "FilterSyntaxError";
  }
}

/** Characters that end a word: operators, brackets, quotes and whitespace. */
const WORD_END = /[\s=!<>()[\],"'&|~]/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const OPERATORS: readonly Operator[] = ["==", "!=", "<=", ">=", "=", "<", ">", "~"];

export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const start = i;
    if (char === '"' || char === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ kind: "string", value, text: text.slice(start, end), start });
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      tokens.push({ kind: two === "&&" ? "and" : "or", text: two, start });
      i += 2;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op !== undefined) {
      tokens.push({ kind: "op", text: op, start });
      i += op.length;
      continue;
    }
    if (char === "(" || char === ")" || char === "[" || char === "]" || char === ",") {
      tokens.push({ kind: "punct", text: char, start });
      i++;
      continue;
    }
    if (WORD_END.test(char))
      throw new FilterSyntaxError(`unexpected \`${char}\` at column ${start + 1}`, start + 1);
    while (i < text.length && !WORD_END.test(text[i] as string)) i++;
    const word = text.slice(start, i);
    if (NUMBER.test(word)) tokens.push({ kind: "number", value: Number(word), text: word, start });
    else tokens.push({ kind: "word", text: word, start });
  }
  tokens.push({ kind: "end", text: "", start: text.length });
  return tokens;
}

/** A quoted string from `start` (at the quote); `\` escapes the next character. */
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i++;
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else {
      value += char;
    }
  }
  throw new FilterSyntaxError(
    `unterminated string starting at column ${start + 1}; close it with ${quote}`,
    start + 1,
  );
}
