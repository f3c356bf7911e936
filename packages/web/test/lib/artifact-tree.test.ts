import { describe, expect, it } from "vitest";
import type { ManifestRow } from "../../src/api/artifact-client.js";
import { artifactTreeRows, buildArtifactTree } from "../../src/lib/artifact-tree.js";
import { artifactVersionPath, artifactsPath } from "../../src/lib/artifact-paths.js";

const stored = (path: string, size: number): ManifestRow => ({
  path,
  sha256: "0".repeat(64),
  size,
  url: "/x",
});
const reference = (path: string, size: number | null): ManifestRow => ({
  path,
  ref: `s3://bucket/${path}`,
  digest: "etag",
  size,
});

const ENTRIES = [
  stored("README.md", 15),
  stored("train/step_10.csv", 100),
  stored("train/step_2.csv", 20),
  stored("train/deep/x.bin", 7),
  reference("remote/big.parquet", null),
  reference("remote/small.parquet", 5),
];

const names = (closed: Iterable<string>): string[] =>
  artifactTreeRows(buildArtifactTree(ENTRIES), new Set(closed)).map(
    (row) => `${"  ".repeat(row.depth)}${row.node.name}`,
  );

describe("artifact tree", () => {
  it("lists folders first, then files, names in counting order, every folder open", () => {
    expect(names([])).toEqual([
      "remote",
      "  big.parquet",
      "  small.parquet",
      "train",
      "  deep",
      "    x.bin",
      "  step_2.csv",
      "  step_10.csv",
      "README.md",
    ]);
  });

  it("hides what is inside a closed folder", () => {
    expect(names(["train"])).toEqual(["remote", "  big.parquet", "  small.parquet", "train", "README.md"]);
  });

  it("counts a folder's entries at any depth and their bytes, a reference of unknown size as 0", () => {
    const root = buildArtifactTree(ENTRIES);
    expect([root.count, root.size]).toEqual([6, 147]);
    const folders = Object.fromEntries(
      artifactTreeRows(root, new Set())
        .filter((row) => row.node.kind === "folder")
        .map((row) => [row.node.path, row.node.kind === "folder" ? [row.node.count, row.node.size] : null]),
    );
    expect(folders).toEqual({ remote: [2, 5], train: [3, 127], "train/deep": [1, 7] });
  });
});

describe("artifact paths", () => {
  it("encodes each segment", () => {
    expect(artifactsPath("a b", "p+q")).toBe("/a%20b/p%2Bq/artifacts");
    expect(artifactVersionPath("e", "p", "my.model", "best")).toBe("/e/p/artifacts/my.model/best");
  });
});
