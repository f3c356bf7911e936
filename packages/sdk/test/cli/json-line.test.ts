/** encodeJsonLine: plain JSON for plain rows, bare non-finite tokens wherever they are nested. */
import { describe, expect, it } from "vitest";
import { encodeJsonLine } from "../../src/cli/format/json-line.js";

describe("encodeJsonLine", () => {
  it("writes plain rows as JSON followed by a newline", () => {
    expect(encodeJsonLine({ _step: 0, loss: 0.5, tags: ["a"], ok: true, none: null })).toBe(
      '{"_step":0,"loss":0.5,"tags":["a"],"ok":true,"none":null}\n',
    );
  });

  it("writes NaN and ±Infinity as bare tokens, also inside namespaces and arrays", () => {
    const row = { a: Number.NaN, b: { c: Number.POSITIVE_INFINITY }, d: [1, Number.NEGATIVE_INFINITY] };
    expect(encodeJsonLine(row)).toBe('{"a":NaN,"b":{"c":Infinity},"d":[1,-Infinity]}\n');
  });
});
