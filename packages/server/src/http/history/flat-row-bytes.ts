/**
 * Reads a stored history row from its UTF-8 bytes (one line of a history page, as the store hands
 * them out: `Store.scanHistoryNdjson`) without decoding or parsing it, when the row is flat: one
 * object whose members are numbers (`NaN`, `±Infinity` included), `true`/`false`, `null` or
 * strings without escapes. That is nearly every row a training loop logs, and the CSV and Parquet
 * exports take each member's name and value token straight from the bytes: decoding the rows to
 * strings, cutting a string per token and formatting the numbers again were most of a 10-key
 * row's server time. Anything else (a nested namespace, an array, an escape, a name JavaScript
 * would order first, `_type`, whitespace) answers false, and the caller parses that row. Stored
 * rows are valid extended JSON (checked at ingest, covered by the block checksum), so only their
 * shape needs looking at here.
 */

/** One row's members, in text order: `names[i]`'s token is the bytes [starts[i], ends[i]) of the page. */
export class FlatRowBytes {
  names: string[] = [];
  starts: number[] = [];
  ends: number[] = [];
  count = 0;
  /**
   * After a read that answered true: the row's names are the previous read's, in the same order
   * (a writer keeps where each name goes instead of looking the names up again).
   */
  sameNames = false;
  /** The bytes of `names[i]`, compared in place with the next row's (rows repeat their names). */
  private readonly nameBytes: Uint8Array[] = [];

  /** Reads the row at [start, end) of `page` (no line break); false when it is not flat. */
  read(page: Buffer, start: number, end: number): boolean {
    if (this.readRow(page, start, end)) return true;
    this.count = 0;
    this.sameNames = false;
    return false;
  }

  private readRow(page: Buffer, start: number, end: number): boolean {
    const previousCount = this.count;
    this.count = 0;
    this.sameNames = false;
    const last = end - 1; // the closing brace
    if (end - start < 2 || page[start] !== BRACE_OPEN || page[last] !== BRACE_CLOSE) return false;
    let same = true;
    let at = start + 1;
    if (at === last) {
      this.sameNames = previousCount === 0; // {}
      return true;
    }
    for (;;) {
      if (page[at] !== QUOTE) return false;
      const nameStart = at + 1;
      let nameEnd = -1;
      const previous = this.nameBytes[this.count];
      if (previous !== undefined && sameBytes(page, nameStart, previous))
        nameEnd = nameStart + previous.length;
      if (nameEnd < 0 || page[nameEnd] !== QUOTE) {
        same = false;
        nameEnd = nameStart;
        while (nameEnd < last && page[nameEnd] !== QUOTE) {
          if (page[nameEnd] === BACKSLASH) return false;
          nameEnd++;
        }
        if (nameEnd >= last) return false;
        const name = page.toString("utf8", nameStart, nameEnd);
        if (name === "_type" || INDEX_LIKE.test(name)) return false;
        this.names[this.count] = name;
        this.nameBytes[this.count] = page.subarray(nameStart, nameEnd).slice();
      }
      if (page[nameEnd + 1] !== COLON) return false;
      const valueStart = nameEnd + 2;
      let valueEnd = valueStart;
      const first = page[valueStart];
      if (first === QUOTE) {
        valueEnd++;
        while (valueEnd < last && page[valueEnd] !== QUOTE) {
          if (page[valueEnd] === BACKSLASH) return false;
          valueEnd++;
        }
        if (valueEnd >= last) return false;
        valueEnd++;
      } else if (first === BRACE_OPEN || first === BRACKET_OPEN) {
        return false;
      } else {
        while (valueEnd < last && page[valueEnd] !== COMMA) valueEnd++;
      }
      // Whitespace around a value (text stored as a client sent it): parse the row instead.
      if (valueEnd === valueStart || (page[valueStart] as number) <= SPACE) return false;
      if ((page[valueEnd - 1] as number) <= SPACE) return false;
      this.starts[this.count] = valueStart;
      this.ends[this.count] = valueEnd;
      this.count++;
      if (valueEnd === last) {
        this.sameNames = same && this.count === previousCount;
        return true;
      }
      if (page[valueEnd] !== COMMA) return false;
      at = valueEnd + 1;
    }
  }
}

function sameBytes(page: Buffer, at: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) if (page[at + i] !== name[i]) return false;
  return true;
}

export const BRACE_OPEN = 123;
export const BRACE_CLOSE = 125;
const BRACKET_OPEN = 91;
export const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
export const COMMA = 44;
const SPACE = 32;
export const MINUS = 45;
const DOT = 46;
const ZERO = 48;
export const NEWLINE = 10;
/** First bytes of the tokens `null`, `true`, `false`, `NaN`, `Infinity`. */
export const LOWER_N = 110;
export const LOWER_T = 116;
export const LOWER_F = 102;
export const UPPER_N = 78;
export const UPPER_I = 73;

/** Names JavaScript enumerates before all others (array indices): the parsed row's order differs. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/**
 * A number token as JavaScript writes it (what `String(n)` gives): plain digits, no trailing
 * fraction zeros, no exponent, no "-0". Tokens in another spelling (`1.0`, `1E5`, `1e+21`) are
 * written again from their value so every cell reads as the parsed value would.
 */
export function isPlainNumber(page: Uint8Array, start: number, end: number): boolean {
  const intStart = page[start] === MINUS ? start + 1 : start;
  let at = intStart;
  while (at < end && isDigit(page[at] as number)) at++;
  const intLength = at - intStart;
  if (intLength === 0 || intLength > 21) return false;
  const leadingZero = page[intStart] === ZERO;
  if (intLength > 1 && leadingZero) return false;
  if (at === end) return !(intStart > start && leadingZero); // "-0" is written "0"
  if (page[at] !== DOT) return false;
  const fractionStart = ++at;
  while (at < end && isDigit(page[at] as number)) at++;
  if (at !== end || at === fractionStart || page[end - 1] === ZERO) return false;
  // 0.000000x and smaller: JavaScript writes those with an exponent.
  if (!leadingZero || fractionStart + 6 > end) return true;
  for (let i = fractionStart; i < fractionStart + 6; i++) if (page[i] !== ZERO) return true;
  return false;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A row's bytes as Latin-1 text, made once for the row when a token first needs `Number` (a byte
 * per character, so offsets are the same; a string cut per token from the bytes cost more than
 * the parse, and one string per page of megabytes made the old generation grow and collect).
 */
export class RowText {
  private page: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private text: string | null = null;

  of(page: Buffer, start: number, end: number): this {
    this.page = page;
    this.start = start;
    this.end = end;
    this.text = null;
    return this;
  }

  /** `Number` of the bytes [start, end) of the row's page. */
  number(start: number, end: number): number {
    this.text ??= this.page.toString("latin1", this.start, this.end);
    return Number(this.text.slice(start - this.start, end - this.start));
  }
}

/**
 * The value of a number token, exactly as `JSON.parse` (and `Number`) gives it. A token of at
 * most 15 digits with at most 22 after the point and no exponent is an integer below 2^53 over
 * an exact power of ten: one correctly rounded division gives the correctly rounded value (the
 * fast path of Clinger's algorithm). Any other token goes through `Number` (of `row`'s text).
 */
export function numberOfToken(page: Buffer, start: number, end: number, row: RowText): number {
  const negative = page[start] === MINUS;
  let at = negative ? start + 1 : start;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; at < end; at++) {
    const code = page[at] as number;
    if (code >= ZERO && code <= ZERO + 9) {
      mantissa = mantissa * 10 + (code - ZERO);
      digits++;
    } else if (code === DOT && fraction < 0) fraction = at;
    else break;
  }
  if (at === end && digits > 0 && digits <= 15) {
    const scale = fraction < 0 ? 0 : end - fraction - 1;
    if (scale <= 22) {
      const value = mantissa / (POWERS_OF_TEN[scale] as number);
      return negative ? -value : value;
    }
  }
  return row.number(start, end);
}

/** A page as a Buffer (the store's pages are Buffers already: no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
