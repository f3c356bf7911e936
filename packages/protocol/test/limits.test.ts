import { describe, expect, it } from "vitest";
import {
  deeperThan,
  entityNameSchema,
  ingestBatchSchema,
  keyProblem,
  nameProblem,
  notesProblem,
  runIdSchema,
  updateRunBodySchema,
  valuesProblem,
} from "../src/index.js";

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

describe("the limits table", () => {
  it("accepts entity, project and run ids of 128 characters and refuses 129", () => {
    expect(entityNameSchema.safeParse("e".repeat(128)).success).toBe(true);
    expect(entityNameSchema.safeParse("e".repeat(129)).success).toBe(false);
    expect(runIdSchema.safeParse("r".repeat(128)).success).toBe(true);
    expect(runIdSchema.safeParse("r".repeat(129)).success).toBe(false);
    expect(runIdSchema.safeParse(`r${" ".repeat(126)}r`).success).toBe(true);
    expect(runIdSchema.safeParse(`${"r".repeat(127)} `).success).toBe(false);
  });

  it("accepts 256 tags on a run and refuses 257", () => {
    const tags = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
    expect(ingestBatchSchema.safeParse({ run: { tags: tags(256) } }).success).toBe(true);
    expect(ingestBatchSchema.safeParse({ run: { tags: tags(257) } }).success).toBe(false);
  });

  it("accepts names up to the limit and refuses one character more, naming the limit", () => {
    expect(nameProblem("name", "r".repeat(256))).toBeNull();
    expect(nameProblem("name", "r".repeat(257))).toMatch(/257 characters; a run name has at most 256/);
    expect(nameProblem("group", "")).toBeNull();
    expect(nameProblem("group", "g".repeat(257))).toMatch(/group has at most 256/);
    expect(nameProblem("jobType", "j".repeat(257))).toMatch(/job type has at most 256/);
    expect(nameProblem("tag", "t".repeat(65))).toMatch(/tag has at most 64/);
    expect(nameProblem("tag", "")).toMatch(/must not be empty/);
    expect(nameProblem("name", 3)).toMatch(/must be a string/);
  });

  it.each([
    ["RLO", "\u202e"],
    ["LRE", "\u202a"],
    ["RLI", "\u2067"],
    ["PDI", "\u2069"],
    ["LRM", "\u200e"],
    ["RLM", "\u200f"],
    ["ALM", "\u061c"],
    ["NUL", "\u0000"],
    ["newline", "\n"],
    ["DEL", "\u007f"],
    ["C1 CSI", "\u009b"],
  ])("refuses %s in every kind of name", (_label, character) => {
    for (const field of ["name", "group", "jobType", "tag"] as const)
      expect(nameProblem(field, `a${character}b`)).toMatch(/control or bidirectional-text character/);
    expect(entityNameSchema.safeParse(`a${character}b`).success).toBe(false);
    expect(runIdSchema.safeParse(`a${character}b`).success).toBe(false);
  });

  it("keeps ordinary non-Latin names", () => {
    expect(nameProblem("name", "שלום-run ☃ 学习率")).toBeNull();
    expect(entityNameSchema.safeParse("équipe-学习").success).toBe(true);
  });

  it("names the code point it refuses", () => {
    expect(nameProblem("name", "evil\u202eexe.txt")).toMatch(/U\+202E/);
  });

  it("measures nesting in levels of objects and arrays", () => {
    expect(deeperThan(1, 0)).toBe(false);
    expect(deeperThan({}, 1)).toBe(false);
    expect(deeperThan({ a: [1] }, 1)).toBe(true);
    expect(deeperThan(nested(100), 100)).toBe(false);
    expect(deeperThan(nested(101), 100)).toBe(true);
    expect(deeperThan(nested(100_000), 100)).toBe(true); // no stack overflow
  });

  it("finds the first bad key or over-deep value of a record and names its top-level key", () => {
    expect(valuesProblem({ a: nested(100), b: "x" })).toBeNull();
    expect(valuesProblem({ ok: 1, deep: nested(101) })).toMatchObject({ key: "deep" });
    expect(valuesProblem({ ["k".repeat(1025)]: 1 })?.message).toMatch(
      /1025 characters long; a key has at most 1024/,
    );
    expect(valuesProblem({ "": 1 })?.message).toMatch(/empty/);
    expect(valuesProblem({ cfg: { inner: { ["k".repeat(2000)]: 1 } } })).toMatchObject({ key: "cfg" });
    expect(valuesProblem({ list: [[1, 2], { a: 1 }] })).toBeNull();
    expect(keyProblem("k".repeat(1024))).toBeNull();
    expect(keyProblem("a\u0000b")).toMatch(/holds U\+0000 \(NUL\).*remove it/);
    expect(valuesProblem({ cfg: { ["\u0000"]: 1 } })).toMatchObject({ key: "cfg" });
    expect(valuesProblem({ s: "a\u0000b", list: ["\u0000"] })).toBeNull();
  });

  it("bounds notes", () => {
    expect(notesProblem("n".repeat(1_000_000))).toBeNull();
    expect(notesProblem("n".repeat(1_000_001))).toMatch(/at most 1000000/);
    expect(notesProblem("a\u0000b")).toMatch(/U\+0000/);
  });

  it("is what the wire schemas enforce", () => {
    const upsert = (run: Record<string, unknown>): boolean => ingestBatchSchema.safeParse({ run }).success;
    expect(upsert({ name: "r".repeat(256), group: "g".repeat(256), tags: ["t".repeat(64)] })).toBe(true);
    expect(upsert({ name: "r".repeat(257) })).toBe(false);
    expect(upsert({ group: "g\u202e" })).toBe(false);
    expect(upsert({ tags: ["t".repeat(65)] })).toBe(false);
    expect(upsert({ notes: "n".repeat(1_000_001) })).toBe(false);
    expect(updateRunBodySchema.safeParse({ name: "a\u2066b" }).success).toBe(false);
    expect(updateRunBodySchema.safeParse({ tags: ["ok", "x\u0007"] }).success).toBe(false);
    for (const field of ["notes", "host", "program", "sdkVersion"])
      expect(upsert({ [field]: "a\u0000b" }), field).toBe(false);
    expect(upsert({ args: ["a\u0000b"] })).toBe(false);
    expect(upsert({ notes: "a\u0001b", host: "h", args: ["a b"] })).toBe(true);
    expect(updateRunBodySchema.safeParse({ notes: "a\u0000b" }).success).toBe(false);
  });
});
