import { describe, expect, it } from "vitest";
import { encodeCsvField, parseExtended, quoteCsvText, stringifyExtended } from "@stepwise/protocol";
import { forEachLeaf } from "../src/http/history/flat-row.js";
import { csvCellOfToken, FlatRowText, kindOfToken } from "../src/http/history/flat-row-text.js";

/** What the exports take from a row by parsing it: each leaf's name, CSV cell and JSON type. */
function parsed(text: string): Array<[string, string, string]> {
  const out = new Map<string, [string, string, string]>();
  forEachLeaf(parseExtended(text), (name, value) => {
    out.set(name, [name, encodeCsvField(value), value === null ? "none" : typeof value]);
  });
  return [...out.values()];
}

/** The same from the text, last member winning for a repeated name as JSON.parse does. */
function unparsed(flat: FlatRowText): Array<[string, string, string]> {
  const out = new Map<string, [string, string, string]>();
  for (let i = 0; i < flat.count; i++) {
    const name = flat.names[i] as string;
    const token = flat.tokens[i] as string;
    const kind = kindOfToken(token);
    const type = kind === "other" ? "string" : kind;
    if (out.has(name)) out.get(name)?.splice(1, 2, csvCellOfToken(token, quoteCsvText), type);
    else out.set(name, [name, csvCellOfToken(token, quoteCsvText), type]);
  }
  return [...out.values()];
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

describe("flat history rows read from their text", () => {
  it("gives each member's name, CSV cell and type exactly as parsing the row does", () => {
    const flat = new FlatRowText();
    for (const text of FLAT) {
      // A row that is not read as flat would be parsed: assert these really take the fast way.
      const isFlat = flat.read(text);
      if (text.includes("\\")) {
        expect(isFlat ? unparsed(flat) : parsed(text)).toEqual(parsed(text));
        continue;
      }
      expect(isFlat, text).toBe(true);
      expect(unparsed(flat), text).toEqual(parsed(text));
      // The CSV's column pass reads names only: the same names, in the same order.
      const names = flat.names.slice(0, flat.count);
      const namesOnly = new FlatRowText();
      expect(namesOnly.read(text, false)).toBe(true);
      expect(namesOnly.names.slice(0, namesOnly.count)).toEqual(names);
    }
  });

  it("hands rows that are not flat back to the parser", () => {
    const flat = new FlatRowText();
    for (const text of NOT_FLAT) expect(flat.read(text), text).toBe(false);
  });

  it("agrees with the parser on 250,000 random values", () => {
    const flat = new FlatRowText();
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let r = 0; r < 5_000; r++) {
      const row: Record<string, unknown> = { _step: r };
      for (let k = 0; k < 50; k++) {
        const x = random();
        row[`k${k}`] =
          k % 5 === 0 ? x * 10 ** Math.round(random() * 60 - 30) : k % 5 === 1 ? -x : r * 0.001 + k;
      }
      const text = stringifyExtended(row);
      expect(flat.read(text)).toBe(true);
      expect(unparsed(flat)).toEqual(parsed(text));
    }
  });
});
