/**
 * Store contract, artifacts (`Store.artifacts`): versions committed whole with `latest` on the
 * newest, re-committing unchanged content creates nothing, aliases unique within a collection
 * and moved in one step, a collection keeps its type, manifests read back as committed (paged,
 * code-point order), lineage both ways, and garbage collection sees manifest entries as
 * references. Distributed artifacts: artifacts-distributed.ts, their writers as producers:
 * artifacts-distributed-writers.ts.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import type { CommitVersionInput } from "../../src/store/artifact-store.js";
import { distributedWritersContract } from "./artifacts-distributed-writers.js";
import { distributedArtifactsContract } from "./artifacts-distributed.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

function commit(entries: ManifestEntry[], extra: Partial<CommitVersionInput> = {}): CommitVersionInput {
  return {
    entity: "team",
    project: "proj",
    name: "mnist",
    type: "dataset",
    entries,
    digest: sha(manifestDigestText(entries)),
    description: "",
    metadata: {},
    aliases: [],
    tags: [],
    producer: runRef("producer"),
    now: 1000,
    ...extra,
  };
}

const file = (path: string, content: string): ManifestEntry => ({
  path,
  sha256: sha(content),
  size: content.length,
});

export function artifactsContract(factory: StoreFactory): void {
  const open = storeOpener(factory);
  const ref = (alias: string) => ({ entity: "team", project: "proj", name: "mnist", alias });

  describe("artifacts", () => {
    it("numbers versions v0, v1, … with latest on the newest; unchanged content is the same version", async () => {
      const store = await open();
      const first = [
        file("train.csv", "a,b\n1,2\n"),
        { path: "remote", ref: "s3://b/k", digest: "etag", size: null },
      ];
      const v0 = await store.artifacts.commitVersion(commit(first, { aliases: ["best"], tags: ["raw"] }));
      expect(v0.status).toBe("created");
      expect(v0.version).toMatchObject({
        version: "v0",
        aliases: ["latest", "best"],
        tags: ["raw"],
        fileCount: 2,
        size: 8,
        producer: runRef("producer"),
      });
      // Same entries in another order: the same digest, no new version; the asked alias is placed.
      const again = await store.artifacts.commitVersion(
        commit([...first].reverse(), { aliases: ["again"], now: 2000 }),
      );
      expect(again.status).toBe("unchanged");
      expect(again.version).toMatchObject({ version: "v0", aliases: ["latest", "again", "best"] });
      const v1 = await store.artifacts.commitVersion(
        commit([file("train.csv", "a,b\n1,3\n")], { now: 3000 }),
      );
      expect(v1.version.version).toBe("v1");
      expect((await store.artifacts.resolveVersion(ref("latest")))?.version).toBe("v1");
      expect((await store.artifacts.resolveVersion(ref("best")))?.version).toBe("v0");
      expect((await store.artifacts.resolveVersion(ref("v0")))?.aliases).toEqual(["again", "best"]);
      expect(await store.artifacts.resolveVersion(ref("v7"))).toBeNull();
      expect(await store.artifacts.resolveVersion({ ...ref("latest"), name: "other" })).toBeNull();
      expect((await store.artifacts.listVersions("team", "proj", "mnist")).map((v) => v.version)).toEqual([
        "v1",
        "v0",
      ]);
      expect(await store.artifacts.listCollections("team", "proj")).toEqual([
        expect.objectContaining({ name: "mnist", type: "dataset", versionCount: 2, latest: "v1" }),
      ]);
      expect(await store.artifacts.listCollections("team", "proj", "model")).toEqual([]);
    });

    it("reads a manifest back as committed, in code-point order, page by page", async () => {
      const store = await open();
      const entries = ["b.txt", "a/z.txt", "a/b.txt", "\u{1F600}.txt", "\uFF5E.txt"].map((p) => file(p, p));
      await store.artifacts.commitVersion(commit(entries));
      const pages: string[][] = [];
      let after: string | null = null;
      for (;;) {
        const page: ManifestEntry[] | null = await store.artifacts.readManifest(ref("v0"), after, 2);
        if (page === null || page.length === 0) break;
        pages.push(page.map((e) => e.path));
        after = page[page.length - 1]?.path ?? null;
      }
      expect(pages).toEqual([["a/b.txt", "a/z.txt"], ["b.txt", "\uFF5E.txt"], ["\u{1F600}.txt"]]);
      const all = await store.artifacts.readManifest(ref("latest"), null, 100);
      expect(new Map(all?.map((e) => [e.path, e]))).toEqual(new Map(entries.map((e) => [e.path, e])));
      expect(await store.artifacts.readManifest(ref("v1"), null, 100)).toBeNull();
    });

    it("moves an alias from one version to another in one step, and never touches latest", async () => {
      const store = await open();
      await store.artifacts.commitVersion(commit([file("m", "0")], { aliases: ["production"] }));
      await store.artifacts.commitVersion(commit([file("m", "1")], { aliases: ["staging"] }));
      const moved = await store.artifacts.setAliases(ref("v1"), ["production", "latest"], 2000);
      expect(moved.aliases).toEqual(["latest", "production"]);
      expect((await store.artifacts.resolveVersion(ref("production")))?.version).toBe("v1");
      expect((await store.artifacts.resolveVersion(ref("v0")))?.aliases).toEqual([]);
      expect(await store.artifacts.resolveVersion(ref("staging"))).toBeNull();
      await expect(store.artifacts.setAliases(ref("v0"), ["v1"], 2000)).rejects.toMatchObject({
        code: "USAGE",
      });
      await expect(store.artifacts.setAliases(ref("v9"), ["x"], 2000)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });

    it("sets a version's tags exactly, leaving the other versions' and its digest alone", async () => {
      const store = await open();
      await store.artifacts.commitVersion(commit([file("m", "0")], { tags: ["raw"] }));
      const v1 = await store.artifacts.commitVersion(commit([file("m", "1")], { tags: ["raw", "big"] }));
      const tagged = await store.artifacts.setTags(ref("v1"), ["reviewed", "big", "reviewed"]);
      expect(tagged.tags.slice().sort()).toEqual(["big", "reviewed"]);
      expect(tagged.digest).toBe(v1.version.digest);
      expect((await store.artifacts.resolveVersion(ref("v1")))?.tags.slice().sort()).toEqual([
        "big",
        "reviewed",
      ]);
      expect((await store.artifacts.resolveVersion(ref("v0")))?.tags).toEqual(["raw"]);
      expect((await store.artifacts.setTags(ref("latest"), [])).tags).toEqual([]);
      await expect(store.artifacts.setTags(ref("v9"), ["x"])).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("keeps a collection's type, and a refused commit leaves nothing", async () => {
      const store = await open();
      await store.artifacts.commitVersion(commit([file("m", "0")]));
      const wrongType = store.artifacts.commitVersion(commit([file("m", "1")], { type: "model" }));
      await expect(wrongType).rejects.toMatchObject({ code: "USAGE" });
      await expect(wrongType).rejects.toThrow(/of type 'dataset', not 'model'/);
      await expect(
        store.artifacts.commitVersion(
          commit([file("m", "2")], {
            whileLocked: () => {
              throw new Error("a blob is missing");
            },
          }),
        ),
      ).rejects.toThrow("a blob is missing");
      expect((await store.artifacts.listVersions("team", "proj", "mnist")).map((v) => v.version)).toEqual([
        "v0",
      ]);
    });

    it("records lineage both ways: produced by one run, used by others", async () => {
      const store = await open();
      await store.artifacts.commitVersion(commit([file("m", "0")]));
      await store.artifacts.recordUse(runRef("eval-1"), ref("latest"), 1100);
      await store.artifacts.recordUse(runRef("eval-2"), ref("v0"), 1200);
      await store.artifacts.recordUse(runRef("eval-1"), ref("v0"), 1300); // once per run
      expect(await store.artifacts.consumers(ref("v0"))).toEqual([runRef("eval-1"), runRef("eval-2")]);
      const producer = await store.artifacts.runLineage(runRef("producer"));
      expect(producer.produced.map((v) => v.version)).toEqual(["v0"]);
      expect(producer.used).toEqual([]);
      expect((await store.artifacts.runLineage(runRef("eval-2"))).used.map((v) => v.name)).toEqual(["mnist"]);
      await expect(store.artifacts.recordUse(runRef("x"), ref("v3"), 1)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });

    it("counts a manifest entry as a reference to its blob for garbage collection", async () => {
      const store = await open();
      const entry = file("weights.bin", "weights");
      expect(await store.isBlobReferenced(sha("weights"))).toBe(false);
      await store.artifacts.commitVersion(commit([entry]));
      expect(await store.isBlobReferenced(sha("weights"))).toBe(true);
    });

    it("deletes a version softly: hidden, its aliases gone, latest on the newest left, its blobs unheld", async () => {
      const store = await open();
      const shared = file("shared.bin", "shared");
      await store.artifacts.commitVersion(commit([shared, file("a", "only-v0")], { aliases: ["best"] }));
      await store.artifacts.commitVersion(
        commit([shared, file("a", "only-v1")], { aliases: ["prod"], now: 2000 }),
      );
      const deleted = await store.artifacts.deleteVersion(ref("prod"), 3000);
      expect(deleted).toMatchObject({ version: "v1", aliases: ["latest", "prod"] });
      expect(await store.artifacts.resolveVersion(ref("v1"))).toBeNull();
      expect(await store.artifacts.resolveVersion(ref("prod"))).toBeNull();
      expect(await store.artifacts.readManifest(ref("v1"), null, 10)).toBeNull();
      expect((await store.artifacts.resolveVersion(ref("latest")))?.version).toBe("v0");
      expect((await store.artifacts.listVersions("team", "proj", "mnist")).map((v) => v.aliases)).toEqual([
        ["latest", "best"],
      ]);
      expect(await store.artifacts.listCollections("team", "proj")).toEqual([
        expect.objectContaining({ versionCount: 1, latest: "v0" }),
      ]);
      expect(await store.isBlobReferenced(sha("only-v1"))).toBe(false);
      expect(await store.isBlobReferenced(sha("shared"))).toBe(true); // v0 still holds it
      await expect(store.artifacts.deleteVersion(ref("v1"), 3000)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      // A version name is never reused: the next commit is v2.
      const next = await store.artifacts.commitVersion(commit([file("a", "new")], { now: 4000 }));
      expect(next.version).toMatchObject({ version: "v2", aliases: ["latest"] });
    });

    it("deletes a collection with its versions; the name can be used again, numbering continues", async () => {
      const store = await open();
      await store.artifacts.commitVersion(commit([file("m", "0")], { aliases: ["best"] }));
      await store.artifacts.commitVersion(commit([file("m", "1")], { now: 2000 }));
      expect(await store.artifacts.deleteCollection("team", "proj", "mnist", 3000)).toBe(2);
      expect(await store.artifacts.listCollections("team", "proj")).toEqual([]);
      expect(await store.artifacts.listVersions("team", "proj", "mnist")).toEqual([]);
      expect(await store.artifacts.resolveVersion(ref("best"))).toBeNull();
      expect(await store.isBlobReferenced(sha("0"))).toBe(false);
      await expect(store.artifacts.deleteCollection("team", "proj", "mnist", 3000)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      const again = await store.artifacts.commitVersion(
        commit([file("m", "0")], { type: "model", now: 4000 }),
      );
      expect(again).toMatchObject({ status: "created", version: { version: "v2", type: "model" } });
      expect(await store.artifacts.resolveVersion(ref("v0"))).toBeNull();
      expect(await store.isBlobReferenced(sha("0"))).toBe(true);
    });

    it("counts storage per collection and project with shared content once; deleted and what it frees", async () => {
      const store = await open();
      const shared = file("shared.bin", "shared-content"); // 14 bytes
      await store.artifacts.commitVersion(commit([shared, file("a", "aaaa")]));
      await store.artifacts.commitVersion(commit([shared, file("a", "bbbbbb"), file("copy", "bbbbbb")]));
      await store.artifacts.commitVersion(commit([shared], { name: "other", type: "model" }));
      await store.artifacts.commitVersion(commit([file("gone", "gone")], { name: "gone" }));
      await store.artifacts.deleteCollection("team", "proj", "gone", 2000);
      expect(await store.artifacts.storageUsed("team", "proj")).toEqual({
        collections: [
          { name: "mnist", type: "dataset", versions: 2, bytes: 14 + 4 + 6, logicalBytes: 18 + 26 },
          { name: "other", type: "model", versions: 1, bytes: 14, logicalBytes: 14 },
        ],
        bytes: 14 + 4 + 6,
        logicalBytes: 18 + 26 + 14,
      });
      // v1 alone holds "bbbbbb" (twice): 6 bytes; shared.bin is held by v0 and by "other".
      expect(await store.artifacts.bytesFreedBy("team", "proj", "mnist", ["v1"])).toBe(6);
      expect(await store.artifacts.bytesFreedBy("team", "proj", "mnist", ["v0", "v1"])).toBe(10);
      expect(await store.artifacts.bytesFreedBy("team", "proj", "other", ["v0"])).toBe(0);
    });

    it("lists many versions with each one's own tags and aliases", async () => {
      const store = await open();
      for (let i = 0; i < 5; i++)
        await store.artifacts.commitVersion(
          commit([file("m", String(i))], { tags: [`t${i}`], aliases: [`a${i}`] }),
        );
      const listed = await store.artifacts.listVersions("team", "proj", "mnist");
      expect(listed.map((v) => [v.version, v.tags, v.aliases])).toEqual([
        ["v4", ["t4"], ["latest", "a4"]],
        ["v3", ["t3"], ["a3"]],
        ["v2", ["t2"], ["a2"]],
        ["v1", ["t1"], ["a1"]],
        ["v0", ["t0"], ["a0"]],
      ]);
    });

    it("keeps each version's TTL; lists the collections holding a live version past it", async () => {
      const store = await open();
      const v0 = await store.artifacts.commitVersion(commit([file("m", "0")], { ttlS: 100, now: 1000 }));
      expect(v0.version.ttlS).toBe(100);
      await store.artifacts.commitVersion(commit([file("m", "1")], { now: 1000 }));
      await store.artifacts.commitVersion(commit([file("m", "x")], { name: "other", ttlS: 500, now: 1000 }));
      expect((await store.artifacts.resolveVersion(ref("v1")))?.ttlS).toBeNull();
      expect(await store.artifacts.collectionsWithExpired(1099)).toEqual([]);
      expect(await store.artifacts.collectionsWithExpired(1100)).toEqual([
        { entity: "team", project: "proj", name: "mnist" },
      ]);
      expect((await store.artifacts.setTtl(ref("v0"), null)).ttlS).toBeNull();
      expect((await store.artifacts.setTtl(ref("v1"), 10)).ttlS).toBe(10);
      expect((await store.artifacts.listVersions("team", "proj", "mnist")).map((v) => v.ttlS)).toEqual([
        10,
        null,
      ]);
      expect(await store.artifacts.collectionsWithExpired(2000)).toEqual([
        { entity: "team", project: "proj", name: "mnist" },
        { entity: "team", project: "proj", name: "other" },
      ]);
      // Deleted versions are not listed; unchanged content re-committed with a TTL takes it.
      await store.artifacts.deleteVersion({ ...ref("v0"), name: "other" }, 1500);
      expect(await store.artifacts.collectionsWithExpired(2000)).toEqual([
        { entity: "team", project: "proj", name: "mnist" },
      ]);
      const again = await store.artifacts.commitVersion(commit([file("m", "1")], { ttlS: 7, now: 1600 }));
      expect([again.status, again.version.version, again.version.ttlS]).toEqual(["unchanged", "v1", 7]);
      await expect(store.artifacts.setTtl(ref("v9"), 5)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
  distributedArtifactsContract(open);
  distributedWritersContract(open);
}
