/** Extended JSON keeps NaN and ±Infinity as bare tokens both ways (reference §2.7). */
import { describe, expect, it } from "vitest";
import { parseExtended, stringifyExtended } from "../src/index.js";

describe("extended JSON", () => {
  it("writes non-finite numbers as bare tokens and reads them back", () => {
    const value = { a: Number.NaN, b: [Infinity, -Infinity, 1.5], c: { d: "NaN", e: null }, f: true };
    const text = stringifyExtended(value);
    expect(text).toBe('{"a":NaN,"b":[Infinity,-Infinity,1.5],"c":{"d":"NaN","e":null},"f":true}');
    expect(parseExtended(text)).toEqual(value);
  });

  it("matches JSON.stringify for plain data and skips undefined members", () => {
    const value = {
      s: 'quote " and \\ and \n',
      n: -0.000123,
      big: 12345678901234567890n,
      arr: [1, undefined],
      u: undefined,
    };
    expect(stringifyExtended(value)).toBe(
      '{"s":"quote \\" and \\\\ and \\n","n":-0.000123,"big":12345678901234567890,"arr":[1,null]}',
    );
  });

  it("does not mistake token text inside strings, and rejects malformed input", () => {
    expect(parseExtended('{"k":"Infinity and NaN","v":NaN}')).toEqual({
      k: "Infinity and NaN",
      v: Number.NaN,
    });
    expect(() => parseExtended("{NaN}")).toThrow(SyntaxError);
    expect(() => parseExtended('{"a":NaN')).toThrow(SyntaxError);
    expect(() => parseExtended("[NaN] x")).toThrow(SyntaxError);
  });
});
