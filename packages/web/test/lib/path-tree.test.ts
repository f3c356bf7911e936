import { describe, expect, it } from "vitest";
import { buildPathTree, pathTreeRows } from "../../src/lib/path-tree.js";

interface Leaf {
  at: string;
  bytes: number;
}
const read = { path: (leaf: Leaf) => leaf.at, size: (leaf: Leaf) => leaf.bytes };
const names = (leaves: Leaf[]): string[] =>
  pathTreeRows(buildPathTree(leaves, read), () => true).map((row) => `${row.depth}:${row.node.name}`);

describe("path tree", () => {
  it("carries any leaf payload and sums what the reader says", () => {
    const root = buildPathTree([{ at: "a/b.txt", bytes: 3 }], read);
    const rows = pathTreeRows(root, () => true);
    expect(rows.map((row) => (row.node.kind === "file" ? row.node.item : row.node.path))).toEqual([
      "a",
      { at: "a/b.txt", bytes: 3 },
    ]);
    expect(root).toMatchObject({ size: 3, count: 1, updatedAt: 0 });
  });

  it("orders names that differ only in case the same whatever order they come in", () => {
    const upper = { at: "d/B.txt", bytes: 1 };
    const lower = { at: "d/b.txt", bytes: 1 };
    expect(names([upper, lower])).toEqual(names([lower, upper]));
    expect(names([lower, upper])).toEqual(["0:d", "1:B.txt", "1:b.txt"]);
  });
});
