import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  artifactCommitRequestSchema,
  artifactManifestSchema,
  artifactNameProblem,
  manifestDigestText,
  parseArtifactPath,
  type ManifestEntry,
} from "../src/index.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const digest = (entries: ManifestEntry[]) => sha(manifestDigestText(entries));

describe("artifact names, types, aliases", () => {
  it("accepts the names W&B users write and refuses '/' and ':' with the reason", () => {
    expect(artifactNameProblem("mnist-v2_train.small", "name")).toBeNull();
    expect(artifactNameProblem("a/b", "name")).toMatch(/no '\/' or ':'/);
    expect(artifactNameProblem("a:b", "name")).toMatch(/no '\/' or ':'/);
    expect(artifactNameProblem("", "type")).toMatch(/empty/);
    expect(artifactNameProblem("x".repeat(129), "name")).toMatch(/longer than 128/);
    expect(artifactNameProblem("..", "name")).toMatch(/'\.' or '\.\.'/);
  });

  it("refuses an alias that looks like a version name", () => {
    expect(artifactNameProblem("production", "alias")).toBeNull();
    expect(artifactNameProblem("v3", "alias")).toMatch(/version name/);
    expect(artifactNameProblem("v03", "alias")).toMatch(/version name/);
    expect(artifactNameProblem("v3-best", "alias")).toBeNull();
  });
});

describe("parseArtifactPath", () => {
  it("reads every form, with latest when no alias is named", () => {
    expect(parseArtifactPath("team/vision/mnist:production")).toEqual({
      entity: "team",
      project: "vision",
      name: "mnist",
      alias: "production",
    });
    expect(parseArtifactPath("vision/mnist:v12")).toEqual({
      entity: null,
      project: "vision",
      name: "mnist",
      alias: "v12",
    });
    expect(parseArtifactPath("mnist")).toEqual({
      entity: null,
      project: null,
      name: "mnist",
      alias: "latest",
    });
  });

  it("says what is wrong with a bad path", () => {
    const problem = (path: string) => {
      const parsed = parseArtifactPath(path);
      return "problem" in parsed ? parsed.problem : "";
    };
    expect(problem("a/b/c/d:v1")).toMatch(/more than entity\/project\/name/);
    expect(problem("team//mnist")).toMatch(/project must be/);
    expect(problem("mnist:bad alias")).toMatch(/only letters/);
  });
});

describe("manifest digest", () => {
  const a: ManifestEntry = { path: "data/a.bin", sha256: sha("a"), size: 1 };
  const b: ManifestEntry = { path: "data/b.bin", sha256: sha("b"), size: 1 };
  const ref: ManifestEntry = { path: "remote/x", ref: "s3://bucket/x", digest: "etag-1", size: null };

  it("depends on content, not on the order entries were added", () => {
    expect(digest([a, b, ref])).toBe(digest([ref, b, a]));
    expect(digest([a, b])).not.toBe(digest([a]));
    expect(digest([a, { ...b, sha256: sha("B") }])).not.toBe(digest([a, b]));
    expect(digest([a, { ...b, path: "data/c.bin" }])).not.toBe(digest([a, b]));
    expect(digest([a, { ...ref, digest: "etag-2" }])).not.toBe(digest([a, ref]));
  });

  it("orders paths by code point, so surrogate pairs sort after BMP characters everywhere", () => {
    const astral: ManifestEntry = { path: "\u{1F600}.txt", sha256: sha("x"), size: 1 };
    const bmp: ManifestEntry = { path: "\uFF5E.txt", sha256: sha("y"), size: 1 };
    const text = manifestDigestText([astral, bmp]);
    expect(text.indexOf("\uFF5E")).toBeLessThan(text.indexOf("\u{1F600}"));
  });

  it("refuses a manifest with a path twice, and a reference holding a control character", () => {
    expect(artifactManifestSchema.safeParse({ version: 1, entries: [a, { ...a }] }).success).toBe(false);
    const bad = { ...ref, ref: "s3://bucket/x\nfake\ts\t" };
    expect(artifactManifestSchema.safeParse({ version: 1, entries: [bad] }).success).toBe(false);
  });

  it("a commit request carries the manifest and its digest; aliases default to none", () => {
    const parsed = artifactCommitRequestSchema.parse({
      type: "dataset",
      manifest: { version: 1, entries: [a] },
      digest: digest([a]),
      run: null,
    });
    expect(parsed.aliases).toEqual([]);
    expect(artifactCommitRequestSchema.safeParse({ ...parsed, aliases: ["v1"] }).success).toBe(false);
  });
});
