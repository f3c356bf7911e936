import { describe, expect, it } from "vitest";
import { stringifyExtended } from "@stepwise/protocol";
import { rowStep, splitHistoryRow } from "../src/domain/history-row.js";

function split(row: Record<string, unknown>): { text: string; points: Array<[string, number]> } {
  const points: Array<[string, number]> = [];
  const text = splitHistoryRow(row, (key, value) => points.push([key, value]));
  return { text, points };
}

describe("history rows", () => {
  it("turns every numeric leaf into a point named by its dotted path, except _step", () => {
    const { points } = split({
      _step: 3,
      _runtime: 1.5,
      "val/acc": 0.9,
      train: { loss: 0.1, deep: { x: 1 } },
      "a.b": 2,
      text: "s",
      flag: true,
      list: [1, 2],
      image: { _type: "image-file", width: 4 },
      nothing: null,
    });
    expect(points).toEqual([
      ["_runtime", 1.5],
      ["val/acc", 0.9],
      ["train.loss", 0.1],
      ["train.deep.x", 1],
      ["a\\.b", 2],
    ]);
  });

  it("keeps the row's text exactly, non-finite numbers as bare tokens", () => {
    const plain = { _step: 1, a: 0.5, s: "x\ny" };
    expect(split(plain).text).toBe(JSON.stringify(plain));
    const nonFinite = {
      _step: 1,
      a: Number.NaN,
      n: { b: Number.NEGATIVE_INFINITY },
      l: [Number.POSITIVE_INFINITY],
    };
    expect(split(nonFinite).text).toBe('{"_step":1,"a":NaN,"n":{"b":-Infinity},"l":[Infinity]}');
    expect(split(nonFinite).text).toBe(stringifyExtended(nonFinite));
    expect(split(nonFinite).points).toEqual([
      ["a", Number.NaN],
      ["n.b", Number.NEGATIVE_INFINITY],
    ]);
  });

  it("takes _step when it is a non-negative integer, else one past the previous row", () => {
    expect(rowStep({ _step: 7 }, null)).toBe(7);
    expect(rowStep({}, null)).toBe(0);
    expect(rowStep({ _step: 1.5 }, 4)).toBe(5);
    expect(rowStep({ _step: -1 }, 4)).toBe(5);
  });
});
