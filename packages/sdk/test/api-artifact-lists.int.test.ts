/**
 * `api.artifactCollections(project, type?)` and `api.artifactVersions(name)` through a real
 * server: the collections a run logged, by type, with their newest version, and a collection's
 * versions newest first with the digest, size, aliases and producer of each — compared with what
 * `logArtifact` answered; a malformed path is a UsageError naming the call.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Api, init, UsageError } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

function folder(files: Record<string, string>): string {
  const root = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

describe("Api artifact listings", () => {
  it("lists a project's collections by type and a collection's versions as logged", async () => {
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "lists",
      settings: { quiet: true },
    });
    const d0 = await (
      await run.logArtifact(folder({ "a.csv": "1" }), { name: "data", type: "dataset" })
    ).wait();
    const d1 = await (
      await run.logArtifact(folder({ "a.csv": "2" }), { name: "data", type: "dataset", aliases: ["best"] })
    ).wait();
    const m0 = await (await run.logArtifact(folder({ "w.bin": "w" }), { name: "net", type: "model" })).wait();
    await run.finish();
    const api = new Api({ baseUrl: server.url });
    const project = `${run.entity}/lists`;

    const all = await api.artifactCollections(project);
    expect(all.map((c) => [c.name, c.type, c.versionCount, c.latest]).sort()).toEqual([
      ["data", "dataset", 2, "v1"],
      ["net", "model", 1, "v0"],
    ]);
    expect((await api.artifactCollections(project, "model")).map((c) => c.name)).toEqual(["net"]);

    const versions = await api.artifactVersions(`${project}/data`);
    expect(versions.map((v) => [v.version, v.digest, v.size])).toEqual([
      [d1.version, d1.digest, d1.size],
      [d0.version, d0.digest, d0.size],
    ]);
    expect(versions[0]?.aliases).toEqual(expect.arrayContaining(["best", "latest"]));
    expect(versions[0]?.producer).toEqual({ entity: run.entity, project: "lists", runId: run.id });
    expect((await api.artifactVersions(`${project}/net`)).map((v) => v.digest)).toEqual([m0.digest]);

    const malformed = api.artifactVersions(`${project}/data:v1`);
    await expect(malformed).rejects.toBeInstanceOf(UsageError);
    await expect(malformed).rejects.toThrow(/entity\/project\/name/);
  });
});
