/** KeySelection: --keys parsing, column matching and row picking. */
import { describe, expect, it } from "vitest";
import { KeySelection } from "../../src/cli/format/key-selection.js";

function select(text: string): KeySelection {
  const keys = KeySelection.parse(text);
  if (!keys) throw new Error(`no keys in ${text}`);
  return keys;
}

describe("KeySelection.parse", () => {
  it("splits on commas, trims, drops blanks and repeats", () => {
    expect(select(" loss, ,acc,loss ").keys).toEqual(["loss", "acc"]);
  });

  it("returns null when no key is left", () => {
    expect(KeySelection.parse(" , ")).toBeNull();
  });
});

describe("KeySelection.keepsColumn", () => {
  it("keeps the named column and every column under a named namespace", () => {
    const keys = select("loss,train");
    expect(keys.keepsColumn("loss")).toBe(true);
    expect(keys.keepsColumn("train.acc")).toBe(true);
    expect(keys.keepsColumn("loss_ema")).toBe(false);
    expect(keys.keepsColumn("trainer")).toBe(false);
  });
});

describe("KeySelection.pick", () => {
  const row = { _step: 4, loss: 1, train: { acc: 0.5, lr: 0.1 }, "a.b": 7, _runtime: 2 };

  it("keeps _step and top-level keys", () => {
    expect(select("loss").pick(row, ["_step"])).toEqual({ _step: 4, loss: 1 });
  });

  it("keeps the nesting of a dotted path", () => {
    expect(select("train.acc").pick(row, ["_step"])).toEqual({ _step: 4, train: { acc: 0.5 } });
  });

  it("keeps a whole namespace, also when a path inside it is named too", () => {
    expect(select("train,train.acc").pick(row, [])).toEqual({ train: { acc: 0.5, lr: 0.1 } });
  });

  it("matches literal keys that contain dots", () => {
    expect(select("a.b").pick(row, [])).toEqual({ "a.b": 7 });
  });

  it("returns null for a row with none of the keys, even though it has _step", () => {
    expect(select("missing,train.nope").pick(row, ["_step"])).toBeNull();
  });

  it("does not change the row it picks from", () => {
    const copy = structuredClone(row);
    select("train,train.acc,loss").pick(row, ["_step"]);
    expect(row).toEqual(copy);
  });
});
