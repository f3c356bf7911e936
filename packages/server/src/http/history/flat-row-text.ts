/**
 * Reads a stored history row's text without parsing it, when the row is flat: one object whose
 * members are numbers (`NaN`, `±Infinity` included), `true`/`false`, `null` or strings without
 * escapes. That is nearly every row a training loop logs, and the CSV and Parquet exports can
 * then take each member's name and value token straight from the text (JSON.parse plus number
 * formatting was ~2 µs of a 10-key row's ~2.3 µs). Anything else (a nested namespace, an array,
 * an escape, a name that JavaScript would order first, `_type`) answers false, and the caller
 * parses that row as before. Stored rows are valid extended JSON (checked at ingest, covered by
 * the block checksum), so only their shape needs looking at here.
 */

/** One row's members, in text order: `names[i]` has the token `tokens[i]` (a string's is quoted). */
export class FlatRowText {
  names: string[] = [];
  tokens: string[] = [];
  count = 0;
  /**
   * After a read that answered true: the row's names are the previous read's, in the same
   * order (a writer can keep where each name goes instead of looking them up again).
   */
  sameNames = false;
  /** Names already seen to need no parsing (a row's names repeat: checked once each). */
  private readonly plainNames = new Set<string>();

  /**
   * Fills names and tokens from `text`; false when the row is not flat (count is then 0, and
   * the next row's sameNames false). With `withTokens` false only the names are filled (the
   * CSV's column pass).
   */
  read(text: string, withTokens = true): boolean {
    if (this.readRow(text, withTokens)) return true;
    this.count = 0;
    this.sameNames = false;
    return false;
  }

  private readRow(text: string, withTokens: boolean): boolean {
    const previousCount = this.count;
    this.count = 0;
    let same = true;
    this.sameNames = false;
    const end = text.length - 1;
    if (text.charCodeAt(0) !== BRACE_OPEN || text.charCodeAt(end) !== BRACE_CLOSE) return false;
    let at = 1;
    if (at === end) {
      this.sameNames = previousCount === 0; // {}
      return true;
    }
    for (;;) {
      if (text.charCodeAt(at) !== QUOTE) return false;
      // Rows repeat their names in the same order: the previous row's name in this place is
      // compared in the text, not cut out and looked up again (it holds no quote or backslash).
      const previous = this.names[this.count];
      let name: string;
      let nameEnd: number;
      if (
        previous !== undefined &&
        text.startsWith(previous, at + 1) &&
        text.charCodeAt(at + 1 + previous.length) === QUOTE
      ) {
        name = previous;
        nameEnd = at + 1 + previous.length;
      } else {
        same = false;
        nameEnd = text.indexOf('"', at + 1);
        if (nameEnd < 0) return false;
        name = text.slice(at + 1, nameEnd);
        if (!this.plainNames.has(name)) {
          if (name.includes("\\") || name === "_type" || INDEX_LIKE.test(name)) return false;
          this.plainNames.add(name);
        }
      }
      if (text.charCodeAt(nameEnd + 1) !== COLON) return false;
      const valueStart = nameEnd + 2;
      let valueEnd: number;
      const first = text.charCodeAt(valueStart);
      if (first === QUOTE) {
        const close = text.indexOf('"', valueStart + 1);
        if (close < 0) return false;
        valueEnd = close + 1;
        if (text.lastIndexOf("\\", close) > valueStart) return false;
      } else if (first === BRACE_OPEN || first === BRACKET_OPEN) {
        return false;
      } else {
        const comma = text.indexOf(",", valueStart);
        valueEnd = comma < 0 ? end : comma;
      }
      // Whitespace around a value (text stored as a client sent it): parse the row instead.
      if (text.charCodeAt(valueStart) <= SPACE || text.charCodeAt(valueEnd - 1) <= SPACE) return false;
      this.names[this.count] = name;
      if (withTokens) this.tokens[this.count] = text.slice(valueStart, valueEnd);
      this.count++;
      if (valueEnd === end) {
        this.sameNames = same && this.count === previousCount;
        return true;
      }
      if (text.charCodeAt(valueEnd) !== COMMA) return false;
      at = valueEnd + 1;
    }
  }
}

const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;
const BRACKET_OPEN = 91;
const QUOTE = 34;
const COLON = 58;
const COMMA = 44;
const SPACE = 32;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** Names JavaScript enumerates before all others (array indices): the parsed row's order differs. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * A number token as JavaScript writes it (what `String(n)` gives): plain digits, no trailing
 * fraction zeros, no exponent, no "-0". Tokens in another spelling (`1.0`, `1E5`, `1e+21`) are
 * written again from their value so every cell reads as before.
 */
function isPlainNumber(token: string): boolean {
  const length = token.length;
  const intStart = token.charCodeAt(0) === MINUS ? 1 : 0;
  let at = intStart;
  while (at < length && isDigit(token.charCodeAt(at))) at++;
  const intLength = at - intStart;
  if (intLength === 0 || intLength > 21) return false;
  const leadingZero = token.charCodeAt(intStart) === ZERO;
  if (intLength > 1 && leadingZero) return false;
  if (at === length) return !(intStart === 1 && leadingZero); // "-0" is written "0"
  if (token.charCodeAt(at) !== DOT) return false;
  const fractionStart = ++at;
  while (at < length && isDigit(token.charCodeAt(at))) at++;
  if (at !== length || at === fractionStart || token.charCodeAt(length - 1) === ZERO) return false;
  // 0.000000x and smaller: JavaScript writes those with an exponent.
  return !(leadingZero && token.startsWith("000000", fractionStart));
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The CSV cell of a flat member's token: what `encodeCsvField` gives for the parsed value. */
export function csvCellOfToken(token: string, quote: (text: string) => string): string {
  const first = token.charCodeAt(0);
  if (first === QUOTE) return quote(token.slice(1, -1));
  // true, false, NaN, Infinity: the token is the cell; null is an empty cell.
  if (first === 110 /* n */) return "";
  if (first === 116 /* t */ || first === 102 /* f */ || first === 78 /* N */ || first === 73 /* I */)
    return token;
  return isPlainNumber(token) ? token : String(Number(token));
}

/** The Parquet kind of a flat member's token. */
export function kindOfToken(token: string): "none" | "number" | "boolean" | "other" {
  const first = token.charCodeAt(0);
  if (first === QUOTE) return "other";
  if (first === 110 /* n */) return "none";
  if (first === 116 /* t */ || first === 102 /* f */) return "boolean";
  return "number";
}
