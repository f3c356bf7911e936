import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { manifestDigestText, type ArtifactVersionDto } from "@stepwise/protocol";
import { Artifact } from "../src/artifacts/artifact.js";
import { sealArtifact } from "../src/artifacts/seal-artifact.js";

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "artifact-test-"));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("Artifact", () => {
  it("refuses names and types with '/' or ':' at the call, naming the fix", () => {
    expect(() => new Artifact("team/data", "dataset")).toThrow(/new Artifact\(name\).*no '\/' or ':'/);
    expect(() => new Artifact("data", "data:set")).toThrow(/new Artifact\(name, type\)/);
    expect(() => new Artifact("", "dataset")).toThrow(/empty/);
  });

  it("seals files, folders and references into the manifest the server will recompute", async () => {
    const dir = folder({
      "train/a.csv": "x,y\n1,2\n",
      "train/sub/b.csv": "x,y\n3,4\n",
      "README.md": "# data",
    });
    const artifact = new Artifact("mnist", "dataset", { metadata: { rows: 2 } })
      .addDir(join(dir, "train"), { name: "train" })
      .addFile(join(dir, "README.md"))
      .addReference("s3://bucket/raw/part-0.parquet", { checksum: false })
      .addReference(pathToFileURL(join(dir, "README.md")).href, { name: "local-readme" });
    expect(artifact.pendingEntries().map((e) => e.path)).toEqual([
      "README.md",
      "local-readme",
      "part-0.parquet",
      "train/a.csv",
      "train/sub/b.csv",
    ]);
    expect(artifact.size).toBe(8 + 8 + 6);
    const sealed = await sealArtifact(artifact);
    expect(sealed.entries).toEqual([
      { path: "README.md", sha256: sha("# data"), size: 6 },
      {
        path: "local-readme",
        ref: pathToFileURL(join(dir, "README.md")).href,
        digest: sha("# data"),
        size: 6,
      },
      {
        path: "part-0.parquet",
        ref: "s3://bucket/raw/part-0.parquet",
        digest: "s3://bucket/raw/part-0.parquet",
        size: null,
      },
      { path: "train/a.csv", sha256: sha("x,y\n1,2\n"), size: 8 },
      { path: "train/sub/b.csv", sha256: sha("x,y\n3,4\n"), size: 8 },
    ]);
    expect(sealed.digest).toBe(sha(manifestDigestText(sealed.entries)));
    expect(sealed.sources.get(sha("# data"))).toEqual({ localPath: join(dir, "README.md"), size: 6 });
    expect(sealed.warnings).toEqual([]);
  });

  it("gives the same digest for the same content added in another order, another for one byte changed", async () => {
    const dir = folder({ "a.txt": "a", "b.txt": "b" });
    const one = new Artifact("d", "dataset").addFile(join(dir, "a.txt")).addFile(join(dir, "b.txt"));
    const two = new Artifact("d", "dataset").addFile(join(dir, "b.txt")).addFile(join(dir, "a.txt"));
    expect((await sealArtifact(one)).digest).toBe((await sealArtifact(two)).digest);
    writeFileSync(join(dir, "b.txt"), "B");
    expect((await sealArtifact(one)).digest).not.toBe((await sealArtifact(two.remove("a.txt"))).digest);
  });

  it("newFile: the contents written before logging; an open stream is refused", async () => {
    const artifact = new Artifact("generated", "dataset");
    const stream = artifact.newFile("labels/classes.txt");
    stream.write("cat\n");
    await expect(sealArtifact(artifact)).rejects.toThrow(/newFile\('labels\/classes.txt'\).*\.end\(\)/);
    stream.end("dog\n");
    const sealed = await sealArtifact(artifact);
    expect(sealed.entries).toEqual([{ path: "labels/classes.txt", sha256: sha("cat\ndog\n"), size: 8 }]);
  });

  it("bad entries: a missing path, a folder as a file, an escaping name, an unknown entry to remove", () => {
    const dir = folder({ "a.txt": "a" });
    const artifact = new Artifact("d", "dataset");
    expect(() => artifact.addFile(join(dir, "missing.txt"))).toThrow(/cannot read .*ENOENT/);
    expect(() => artifact.addFile(dir)).toThrow(/not a file; use addDir/);
    expect(() => artifact.addFile(join(dir, "a.txt"), { name: "../a.txt" })).toThrow(
      /entry name '\.\.\/a\.txt'/,
    );
    expect(() => artifact.addReference("not a uri")).toThrow(/not a URI/);
    expect(() => artifact.remove("nothing")).toThrow(/no entry 'nothing'/);
  });

  it("is frozen once logged, and reports the version it became", () => {
    const dir = folder({ "a.txt": "a" });
    const artifact = new Artifact("d", "dataset").addFile(join(dir, "a.txt"));
    expect(artifact.version).toBeNull();
    expect(artifact.qualifiedName).toBe("d");
    const version: ArtifactVersionDto = {
      entity: "team",
      project: "p",
      name: "d",
      type: "dataset",
      version: "v3",
      digest: sha("x"),
      description: "",
      metadata: {},
      aliases: ["latest", "best"],
      tags: [],
      fileCount: 1,
      size: 1,
      producer: null,
      producers: [],
      createdAt: 1,
      ttlS: null,
    };
    artifact.markLogged(version, [{ path: "a.txt", sha256: sha("a"), size: 1 }]);
    expect(artifact.qualifiedName).toBe("team/p/d:v3");
    expect(artifact.aliases).toEqual(["best"]);
    expect(artifact.getEntry("a.txt")).toEqual({ path: "a.txt", sha256: sha("a"), size: 1 });
    expect(() => artifact.addFile(join(dir, "a.txt"))).toThrow(/team\/p\/d:v3 is logged and cannot change/);
  });
});
