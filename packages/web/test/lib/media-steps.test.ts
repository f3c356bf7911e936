import { describe, expect, it } from "vitest";
import {
  entryAt,
  indexSeriesOf,
  mediaSeriesOf,
  mixedKinds,
  nearestIndex,
  sliderPositions,
  xValuesOf,
} from "../../src/lib/media-steps.js";

const img = (step: number) => ({ _type: "image-file", path: `media/images/k_${step}_x.png` });

describe("mediaSeriesOf", () => {
  it("keeps the rows where the key holds media, by step, with the x metric's value", () => {
    const rows = [
      { _step: 20, k: img(20), epoch: 2 },
      { _step: 0, k: img(0), epoch: 0 },
      { _step: 5, loss: 1 },
      { _step: 10, k: img(10) },
    ];
    const s = mediaSeriesOf(rows, "k", "epoch");
    expect(s.entries.map((e) => [e.step, e.x])).toEqual([
      [0, 0],
      [10, null],
      [20, 2],
    ]);
    expect(s.kinds).toEqual(["image"]);
    expect(mediaSeriesOf(rows, "k", "_step").entries.map((e) => e.x)).toEqual([0, 10, 20]);
  });

  it("records every kind the key held, so a changed type can be warned about", () => {
    const s = mediaSeriesOf(
      [
        { _step: 0, k: img(0) },
        { _step: 1, k: 0.5 },
        { _step: 2, k: null },
      ],
      "k",
      "_step",
    );
    expect(s.kinds).toEqual(["image", "number"]);
    expect(s.entries).toHaveLength(1);
    expect(mixedKinds([s])).toEqual(["image", "number"]);
    expect(mixedKinds([mediaSeriesOf([{ _step: 0, k: img(0) }], "k", "_step")])).toBeNull();
  });
});

describe("the slider", () => {
  const a = mediaSeriesOf(
    [0, 10, 20].map((s) => ({ _step: s, k: img(s) })),
    "k",
    "_step",
  );
  const b = mediaSeriesOf(
    [5, 10].map((s) => ({ _step: s, k: img(s) })),
    "k",
    "_step",
  );

  it("moves over the union of the runs' positions", () => {
    expect(sliderPositions([a, b])).toEqual([0, 5, 10, 20]);
  });

  it("shows each run's last entry at or before the position, none before its first", () => {
    expect(entryAt(a, 5)?.step).toBe(0);
    expect(entryAt(b, 5)?.step).toBe(5);
    expect(entryAt(b, 20)?.step).toBe(10);
    expect(entryAt(b, 0)).toBeNull();
  });

  it("finds the nearest position, the last when none is chosen", () => {
    const positions = [0, 5, 10, 20];
    expect(nearestIndex(positions, null)).toBe(3);
    expect(nearestIndex(positions, 6)).toBe(1);
    expect(nearestIndex(positions, 16)).toBe(3);
    expect(nearestIndex(positions, -3)).toBe(0);
    expect(nearestIndex([], 3)).toBe(-1);
  });
});

describe("entries from the media index", () => {
  it("take x from the step, or from the x metric's value in that step's row", () => {
    const xs = xValuesOf([{ _step: 0, epoch: 0 }, { _step: 10, epoch: 1 }, { _step: 20 }], "epoch");
    expect([...xs]).toEqual([
      [0, 0],
      [10, 1],
    ]);
    expect(indexSeriesOf([0, 10, 20], "epoch", xs).map((e) => e.x)).toEqual([0, 1, null]);
    expect(indexSeriesOf([0, 10], "_step", null)).toEqual([
      { step: 0, x: 0, items: null },
      { step: 10, x: 10, items: null },
    ]);
  });
});
