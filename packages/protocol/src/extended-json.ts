/**
 * Extended JSON: plain JSON plus the bare tokens `NaN`, `Infinity` and `-Infinity`, which
 * history keeps (W&B reference §2.7). Values reaching the encoder are already normalised
 * plain data (objects, arrays, strings, finite or non-finite numbers, booleans, null, bigint).
 */

/** Encodes plain data as extended JSON. `undefined` object members are skipped, as in JSON. */
export function stringifyExtended(value: unknown): string {
  switch (typeof value) {
    case "number":
      return encodeNumber(value);
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return encodeArray(value);
      return encodeObject(value as Record<string, unknown>);
    default:
      return "null";
  }
}

/** A number as a JSON token, non-finite values as bare `NaN` / `Infinity` / `-Infinity`. */
export function encodeNumber(n: number): string {
  if (Number.isFinite(n)) return String(n);
  if (Number.isNaN(n)) return "NaN";
  return n > 0 ? "Infinity" : "-Infinity";
}

function encodeArray(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    const item = items[i];
    out += item === undefined ? "null" : stringifyExtended(item);
  }
  return out + "]";
}

function encodeObject(obj: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key in obj) {
    const member = obj[key];
    if (member === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(key) + ":" + stringifyExtended(member);
    first = false;
  }
  return out + "}";
}

/** Parses extended JSON. Plain JSON takes the native fast path. Throws SyntaxError. */
export function parseExtended(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return new ExtendedJsonParser(text).parseDocument();
  }
}

const NON_FINITE_TOKENS: ReadonlyArray<readonly [string, number]> = [
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
];

/** A small recursive-descent parser, used only for text that holds non-finite tokens. */
class ExtendedJsonParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail("unexpected trailing characters");
    return value;
  }

  private parseValue(): unknown {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    if (ch === "{") return this.parseObject();
    if (ch === "[") return this.parseArray();
    if (ch === '"') return this.parseString();
    for (const [token, value] of NON_FINITE_TOKENS) {
      if (this.text.startsWith(token, this.pos)) {
        this.pos += token.length;
        return value;
      }
    }
    return this.parseLiteral();
  }

  private parseObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.parseString();
      this.skipWhitespace();
      this.expect(":");
      // defineProperty, not assignment: a "__proto__" key must stay a plain member, as JSON.parse keeps it.
      Object.defineProperty(out, key, {
        value: this.parseValue(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("}");
      return out;
    }
  }

  private parseArray(): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("]");
      return out;
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === "\\") this.pos += 2;
      else if (ch === '"') {
        this.pos++;
        return JSON.parse(this.text.slice(start, this.pos)) as string;
      } else this.pos++;
    }
    return this.fail("unterminated string");
  }

  /** Numbers, true, false, null: delegated to JSON.parse on the token's text. */
  private parseLiteral(): unknown {
    const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) this.fail("unexpected token");
    this.pos += match[0].length;
    return JSON.parse(match[0]);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos] as string)) this.pos++;
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private fail(reason: string): never {
    throw new SyntaxError(`Invalid extended JSON at position ${this.pos}: ${reason}`);
  }
}
