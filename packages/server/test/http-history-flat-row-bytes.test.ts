/**
 * Flat history rows read from their bytes (flat-row-bytes.ts), compared with parsing them: each
 * member's name, value token, CSV cell spelling and number value, on fixed rows (odd spellings
 * included) and 100,000 random values; rows that are not flat are handed back to the parser.
 */
import { describe, expect, it } from "vitest";
import { encodeCsvField, encodeNumber, parseExtended, stringifyExtended } from "@stepwise/protocol";
import { forEachLeaf } from "../src/http/history/flat-row.js";
import { FlatRowBytes, isPlainNumber, numberOfToken, RowText } from "../src/http/history/flat-row-bytes.js";

/** What the exports take from a row by parsing it: each leaf's name and value. */
function parsed(text: string): Array<[string, unknown]> {
  const out = new Map<string, [string, unknown]>();
  forEachLeaf(parseExtended(text), (name, value) => out.set(name, [name, value]));
  return [...out.values()];
}

/** The same from the bytes, last member winning for a repeated name as JSON.parse does. */
function unparsed(flat: FlatRowBytes, page: Buffer): Array<[string, unknown]> {
  const text = new RowText().of(page, 0, page.length);
  const out = new Map<string, [string, unknown]>();
  for (let i = 0; i < flat.count; i++) {
    const name = flat.names[i] as string;
    const start = flat.starts[i] as number;
    const end = flat.ends[i] as number;
    const token = page.toString("utf8", start, end);
    let value: unknown;
    if (token.startsWith('"')) value = token.slice(1, -1);
    else if (token === "null") value = null;
    else if (token === "true" || token === "false") value = token === "true";
    else {
      value = numberOfToken(page, start, end, text);
      // A token taken as JavaScript's own spelling is its CSV cell as it is (others are written again).
      if (isPlainNumber(page, start, end)) expect(encodeCsvField(value), token).toBe(token);
    }
    if (out.has(name)) out.get(name)?.splice(1, 1, value);
    else out.set(name, [name, value]);
  }
  return [...out.values()];
}

function read(flat: FlatRowBytes, text: string): { isFlat: boolean; page: Buffer } {
  // A row somewhere inside a page, as the exports read it.
  const page = Buffer.from(`{"x":1}\n${text}\n`);
  const start = page.indexOf(10) + 1;
  return { isFlat: flat.read(page, start, page.length - 1), page };
}

const FLAT = [
  stringifyExtended({
    _step: 0,
    loss: 0.1,
    acc: 1 / 3,
    lr: 3e-4,
    _runtime: 12.5,
    _timestamp: 1733550000.123,
  }),
  stringifyExtended({
    _step: 7,
    big: 1e21,
    huge: 1.7976931348623157e308,
    tiny: 5e-324,
    small: 1e-7,
    edge: 1e-6,
  }),
  stringifyExtended({ _step: 1, neg: -0, m: -2.5, i: 123456789, n: Number.NaN, p: Infinity, q: -Infinity }),
  stringifyExtended({ _step: 2, ok: true, bad: false, none: null, name: "cat, dog", quote: 'say "hi"' }),
  stringifyExtended({ _step: 3, "val/loss": 0.25, "train.loss": 2, "a b": 1, "": 4, é: 5 }),
  stringifyExtended({ _step: 4, text: "plain", empty: "", line: "a\nb", slash: "c\\d" }),
  stringifyExtended({}),
  // Spellings JavaScript never writes, as a client may have sent them (stored verbatim).
  '{"_step":5,"a":1.0,"b":1E5,"c":1e+21,"d":-0.0,"e":0.50,"f":1e-7,"h":0.0000001,"i":-0.00000012}',
  '{"_step":6,"a":1,"b":2,"a":3}',
];

const NOT_FLAT = [
  stringifyExtended({ _step: 1, train: { loss: 1, acc: 2 } }),
  stringifyExtended({ _step: 1, img: { _type: "image-file", path: "a.png" } }),
  stringifyExtended({ _step: 1, v: [1, 2, 3] }),
  stringifyExtended({ _step: 1, b: 1, 2: 3 }),
  stringifyExtended({ _step: 1, 'q"uote': 1 }),
  '{"_step": 1, "a": true}',
  '{"_step":1,"a":true }',
  '{"_type":"x","_step":1}',
];

describe("flat history rows read from their bytes", () => {
  it("gives each member's name and value exactly as parsing the row does", () => {
    const flat = new FlatRowBytes();
    for (const text of FLAT) {
      const { isFlat, page } = read(flat, text);
      if (text.includes("\\")) {
        expect(isFlat ? unparsed(flat, page) : parsed(text)).toEqual(parsed(text));
        continue;
      }
      // A row that is not read as flat would be parsed: assert these really take the fast way.
      expect(isFlat, text).toBe(true);
      expect(unparsed(flat, page), text).toEqual(parsed(text));
    }
  });

  it("tells a row with the previous row's names from one with other names", () => {
    const flat = new FlatRowBytes();
    const same = (text: string): boolean => read(flat, text).isFlat && flat.sameNames;
    expect(same('{"_step":1,"a":1,"b":2}')).toBe(false);
    expect(same('{"_step":2,"a":3,"b":4}')).toBe(true);
    expect(same('{"_step":3,"a":3,"bb":4}')).toBe(false);
    expect(same('{"_step":4,"a":3}')).toBe(false);
    expect(same('{"_step":5,"a":3,"b":4}')).toBe(false);
    expect(same('{"_step":6,"a":3,"b":4,"c":5}')).toBe(false);
    expect(flat.names.slice(0, flat.count)).toEqual(["_step", "a", "b", "c"]);
  });

  it("hands rows that are not flat back to the parser", () => {
    const flat = new FlatRowBytes();
    for (const text of NOT_FLAT) expect(read(flat, text).isFlat, text).toBe(false);
  });

  it("agrees with the parser on 100,000 random values, NaN and ±Infinity included", () => {
    const flat = new FlatRowBytes();
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const special = [Number.NaN, Infinity, -Infinity, -0, 0, 1e21, 5e-324, 0.1 + 0.2];
    for (let r = 0; r < 2_000; r++) {
      const row: Record<string, unknown> = { _step: r };
      for (let k = 0; k < 50; k++) {
        const x = random();
        row[`k${k}`] =
          k % 5 === 0
            ? x * 10 ** Math.round(random() * 60 - 30)
            : k % 5 === 1
              ? -x
              : k % 5 === 2
                ? special[Math.floor(x * special.length)]
                : k % 5 === 3
                  ? Math.round(x * 10 ** Math.round(random() * 17)) / 10 ** Math.round(random() * 8)
                  : r * 0.001 + k;
      }
      const text = stringifyExtended(row);
      const { isFlat, page } = read(flat, text);
      expect(isFlat).toBe(true);
      const values = unparsed(flat, page);
      // toEqual tells -0 from 0 and NaN from anything else; check the spelling too.
      expect(values).toEqual(parsed(text));
      for (const [name, value] of values)
        if (typeof value === "number")
          expect(encodeNumber(value), name).toBe(encodeNumber(row[name] as number));
    }
  });
});
