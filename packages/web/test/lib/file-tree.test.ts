import { describe, expect, it } from "vitest";
import type { FileDto } from "@stepwise/protocol";
import { ancestorFolders, buildFileTree, initiallyOpen, visibleRows } from "../../src/lib/file-tree.js";

function file(path: string, size: number, updatedAt = 1000): FileDto {
  return { path, size, sha256: "0".repeat(64), contentType: "application/octet-stream", updatedAt };
}

const FILES = [
  file("config.json", 10, 1000),
  file("media/images/step_10.png", 300, 1200),
  file("media/images/step_2.png", 200, 1100),
  file("media/table.json", 50, 1050),
  file("a.txt", 1, 900),
  file("ckpt/model.bin", 4000, 1300),
];

const rowNames = (open: Iterable<string>): string[] =>
  visibleRows(buildFileTree(FILES), new Set(open)).map((row) => `${"  ".repeat(row.depth)}${row.node.name}`);

describe("buildFileTree", () => {
  it("sums sizes, counts files and keeps the newest time of every folder, at any depth", () => {
    const root = buildFileTree(FILES);
    expect(root).toMatchObject({ size: 4561, count: 6, updatedAt: 1300 });
    const media = root.children.find((node) => node.path === "media");
    expect(media).toMatchObject({ kind: "folder", name: "media", size: 550, count: 3, updatedAt: 1200 });
    const images = media?.kind === "folder" ? media.children[0] : undefined;
    expect(images).toMatchObject({ path: "media/images", size: 500, count: 2, updatedAt: 1200 });
  });

  it("lists folders before files, names in counting order (step_2 before step_10)", () => {
    expect(rowNames(["media", "media/images", "ckpt"])).toEqual([
      "ckpt",
      "  model.bin",
      "media",
      "  images",
      "    step_2.png",
      "    step_10.png",
      "  table.json",
      "a.txt",
      "config.json",
    ]);
  });

  it("an empty list is an empty root", () => {
    expect(buildFileTree([])).toMatchObject({ size: 0, count: 0, children: [] });
  });
});

describe("visibleRows", () => {
  it("hides what is inside a closed folder, even a folder marked open inside it", () => {
    expect(rowNames(["media/images"])).toEqual(["ckpt", "media", "a.txt", "config.json"]);
  });

  it("names each row's parent folder and whether a folder is open", () => {
    const rows = visibleRows(buildFileTree(FILES), new Set(["media"]));
    expect(rows.find((row) => row.node.path === "media/table.json")).toMatchObject({
      parent: "media",
      depth: 1,
    });
    expect(rows.find((row) => row.node.path === "media")).toMatchObject({ open: true, parent: "" });
    expect(rows.find((row) => row.node.path === "media/images")).toMatchObject({ open: false });
  });

  it("draws only the open part of 10,000 files", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => file(`steps/${Math.floor(i / 100)}/f${i}.txt`, 1));
    const root = buildFileTree(many);
    expect(visibleRows(root, initiallyOpen(root))).toHaveLength(1);
    expect(visibleRows(root, new Set(["steps"]))).toHaveLength(101);
  });
});

describe("ancestorFolders", () => {
  it("lists the folders holding a path, outermost first", () => {
    expect(ancestorFolders("a/b/c.txt")).toEqual(["a", "a/b"]);
    expect(ancestorFolders("c.txt")).toEqual([]);
  });
});

describe("initiallyOpen", () => {
  it("opens every level while the rows fit, and stops at the level that would not", () => {
    const root = buildFileTree(FILES);
    expect([...initiallyOpen(root)].sort()).toEqual(["ckpt", "media", "media/images"]);
    // Top level: 4 rows; opening ckpt and media adds 3 → 7; media/images adds 2 → 9.
    expect([...initiallyOpen(root, 9)].sort()).toEqual(["ckpt", "media", "media/images"]);
    expect([...initiallyOpen(root, 8)].sort()).toEqual(["ckpt", "media"]);
    expect([...initiallyOpen(root, 6)]).toEqual([]);
  });
});
