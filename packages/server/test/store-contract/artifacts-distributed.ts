/**
 * Store contract, distributed artifacts (`Store.artifacts.distributed`; part of the artifacts
 * topic): several writers' entries committed as one version and nothing visible before, a path
 * two writers disagree on refused by name with nothing committed, one version however many
 * finishes race, pending entries kept from garbage collection, a key discarded and used again.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import type { CommitVersionInput } from "../../src/store/artifact-store.js";
import type {
  DistributedArtifactStore,
  FinishPendingInput,
  UpsertPendingInput,
} from "../../src/store/distributed-artifact-store.js";
import type { Store } from "../../src/store/store.js";
import { runRef } from "./contract-setup.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const file = (path: string, content: string): ManifestEntry => ({
  path,
  sha256: sha(content),
  size: content.length,
});
const commit = (entries: ManifestEntry[], extra: Partial<CommitVersionInput>): CommitVersionInput => ({
  entity: "team",
  project: "proj",
  name: "shards",
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
});
const key = { entity: "team", project: "proj", name: "shards", distributedId: "job-7" };
const upsert = (entries: ManifestEntry[], extra: Partial<UpsertPendingInput> = {}): UpsertPendingInput => ({
  ...key,
  type: "dataset",
  entries,
  aliases: [],
  tags: [],
  writer: null,
  now: 1000,
  ...extra,
});
const finish = (extra: Partial<FinishPendingInput> = {}): FinishPendingInput => ({
  ...key,
  type: "dataset",
  description: "",
  metadata: {},
  aliases: [],
  tags: [],
  producer: runRef("finisher"),
  now: 2000,
  ...extra,
});

/** The store's distributed part; a backend without one fails here (or names these tests in its skips). */
function distributed(store: Store): DistributedArtifactStore {
  const part = store.artifacts.distributed;
  if (part === undefined) throw new Error("this store has no artifacts.distributed");
  return part;
}

export function distributedArtifactsContract(open: () => Promise<Store>): void {
  describe("distributed artifacts", () => {
    const shards = (alias: string) => ({ entity: "team", project: "proj", name: "shards", alias });

    it("commits every writer's entries as one version; nothing is visible before; finish again is that version", async () => {
      const store = await open();
      const d = distributed(store);
      const first = await d.upsertPending(
        upsert([file("w0/a", "a"), file("common", "c")], { aliases: ["best"] }),
      );
      expect(first).toEqual({ status: "pending", fileCount: 2, version: null });
      const second = await d.upsertPending(upsert([file("w1/b", "b"), file("common", "c")], { tags: ["t"] }));
      expect(second.fileCount).toBe(3);
      expect(await store.artifacts.listVersions("team", "proj", "shards")).toEqual([]);
      expect(await store.artifacts.resolveVersion(shards("latest"))).toBeNull();
      const union = [file("common", "c"), file("w0/a", "a"), file("w1/b", "b")];
      const done = await d.finishPending(finish({ aliases: ["prod"], metadata: { n: 2 } }));
      expect(done.status).toBe("created");
      expect(done.version).toMatchObject({
        version: "v0",
        digest: sha(manifestDigestText(union)),
        fileCount: 3,
        aliases: ["latest", "best", "prod"],
        tags: ["t"],
        metadata: { n: 2 },
        producer: runRef("finisher"),
      });
      expect(await store.artifacts.readManifest(shards("v0"), null, 10)).toEqual(union);
      const again = await d.finishPending(finish({ now: 3000 }));
      expect(again).toEqual({ status: "unchanged", version: done.version });
      // A re-sent upsert of entries the version holds is answered with it; a new entry is refused.
      expect(await d.upsertPending(upsert([file("w0/a", "a")]))).toMatchObject({
        status: "committed",
        version: { version: "v0" },
      });
      await expect(d.upsertPending(upsert([file("late", "l")]))).rejects.toMatchObject({
        code: "ARTIFACT_CONFLICT",
        details: { path: "late", version: "v0" },
      });
      expect((await store.artifacts.listVersions("team", "proj", "shards")).map((v) => v.version)).toEqual([
        "v0",
      ]);
    });

    it("refuses a path two writers added with different content, by name, and commits nothing", async () => {
      const store = await open();
      const d = distributed(store);
      await d.upsertPending(upsert([file("model.bin", "one"), file("x", "x")]));
      const clash = d.upsertPending(upsert([file("y", "y"), file("model.bin", "two")]));
      await expect(clash).rejects.toMatchObject({
        code: "ARTIFACT_CONFLICT",
        details: { path: "model.bin" },
      });
      await expect(clash).rejects.toThrow(/'model\.bin' was added by two writers with different content/);
      const refused = d.finishPending(finish());
      await expect(refused).rejects.toMatchObject({
        code: "ARTIFACT_CONFLICT",
        details: { path: "model.bin" },
      });
      expect(await store.artifacts.listVersions("team", "proj", "shards")).toEqual([]);
      // Another distributedId is a fresh pending version.
      await d.upsertPending(upsert([file("model.bin", "two")], { distributedId: "job-8" }));
      const other = await d.finishPending(finish({ distributedId: "job-8" }));
      expect(other.version).toMatchObject({ version: "v0", fileCount: 1 });
    });

    it("commits one version however many finishes race", async () => {
      const store = await open();
      const d = distributed(store);
      await d.upsertPending(upsert([file("a", "a")]));
      await d.upsertPending(upsert([file("b", "b")]));
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => d.finishPending(finish({ now: 2000 + i }))),
      );
      const versions = results.map((r) =>
        r.status === "fulfilled" ? r.value.version.version : String(r.reason),
      );
      expect(versions).toEqual(Array.from({ length: 6 }, () => "v0"));
      expect(results.filter((r) => r.status === "fulfilled" && r.value.status === "created")).toHaveLength(1);
      expect((await store.artifacts.listVersions("team", "proj", "shards")).map((v) => v.fileCount)).toEqual([
        2,
      ]);
    });

    it("keeps pending entries' blobs from garbage collection; refuses an unknown key and another type", async () => {
      const store = await open();
      const d = distributed(store);
      await expect(d.finishPending(finish())).rejects.toMatchObject({ code: "NOT_FOUND" });
      await store.artifacts.commitVersion(commit([file("m", "0")], { name: "shards", type: "model" }));
      await expect(d.upsertPending(upsert([file("s", "s")]))).rejects.toMatchObject({ code: "USAGE" });
      await d.upsertPending(upsert([file("s", "pending-only")], { type: "model" }));
      expect(await store.isBlobReferenced(sha("pending-only"))).toBe(true);
      await expect(d.finishPending(finish({ type: "dataset" }))).rejects.toMatchObject({ code: "USAGE" });
      await d.finishPending(finish({ type: "model" }));
      expect(await store.isBlobReferenced(sha("pending-only"))).toBe(true); // the version holds it now
      await store.artifacts.deleteVersion(shards("v1"), 3000);
      expect(await store.isBlobReferenced(sha("pending-only"))).toBe(false);
    });

    it("discards a distributed artifact: pending entries dropped, a finished one's version kept, the id free again", async () => {
      const store = await open();
      const d = distributed(store);
      await d.upsertPending(upsert([file("abandoned", "abandoned")]));
      expect(await d.discardPending(key)).toEqual({ state: "pending", fileCount: 1 });
      expect(await store.isBlobReferenced(sha("abandoned"))).toBe(false);
      await expect(d.finishPending(finish())).rejects.toMatchObject({ code: "NOT_FOUND" });
      await d.upsertPending(upsert([file("kept", "kept")]));
      await d.finishPending(finish());
      expect(await d.discardPending(key)).toEqual({ state: "finished", fileCount: 1 });
      expect(await store.isBlobReferenced(sha("kept"))).toBe(true);
      await d.upsertPending(upsert([file("kept", "kept"), file("more", "more")]));
      expect((await d.finishPending(finish())).version).toMatchObject({ version: "v1", fileCount: 2 });
      await expect(d.discardPending({ ...key, distributedId: "none" })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });
  });
}
