/**
 * Store contract, the writers of distributed artifacts (part of the artifacts topic): every run
 * that upserted into a version the finish created is one of its producers, beside the finishing
 * run and each once, and has the version in its produced list; a discarded pending version, or
 * a finish answered with the latest version unchanged, records no writer.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { manifestDigestText, type ManifestEntry, type RunRef } from "@stepwise/protocol";
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
const key = { entity: "team", project: "proj", name: "shards", distributedId: "job-9" };
const upsert = (writer: RunRef | null, entries: ManifestEntry[], now = 1000): UpsertPendingInput => ({
  ...key,
  type: "dataset",
  entries,
  aliases: [],
  tags: [],
  writer,
  now,
});
const finish = (producer: RunRef | null): FinishPendingInput => ({
  ...key,
  type: "dataset",
  description: "",
  metadata: {},
  aliases: [],
  tags: [],
  producer,
  now: 2000,
});
const shards = (alias: string) => ({ entity: "team", project: "proj", name: "shards", alias });
const ids = (runs: readonly RunRef[]) => runs.map((r) => `${r.entity}/${r.project}/${r.runId}`);

function distributed(store: Store): DistributedArtifactStore {
  const part = store.artifacts.distributed;
  if (part === undefined) throw new Error("this store has no artifacts.distributed");
  return part;
}

/** What a run produced, as `name:version`. */
async function producedBy(store: Store, run: RunRef): Promise<string[]> {
  return (await store.artifacts.runLineage(run)).produced.map((v) => `${v.name}:${v.version}`);
}

export function distributedWritersContract(open: () => Promise<Store>): void {
  describe("distributed artifacts: writers are producers", () => {
    it("lists the finishing run and every run that upserted as producers, each once, and the version in each run's produced list", async () => {
      const store = await open();
      const d = distributed(store);
      const [w0, w1, w2, finisher] = ["rank0", "rank1", "rank2", "finisher"].map((id) => runRef(id));
      if (w0 === undefined || w1 === undefined || w2 === undefined || finisher === undefined)
        throw new Error("four runs");
      const elsewhere = runRef("rank3", "other");
      await d.upsertPending(upsert(w1, [file("w1/a", "a")], 1000));
      await d.upsertPending(upsert(w0, [file("w0/a", "b")], 1001));
      await d.upsertPending(upsert(w1, [file("w1/b", "c")], 1002)); // w1 again: listed once
      await d.upsertPending(upsert(w2, [file("w0/a", "b")], 1003)); // the same entry as w0: a writer too
      await d.upsertPending(upsert(elsewhere, [file("w3/a", "d")], 1004)); // a run of another project
      await d.upsertPending(upsert(null, [file("anon", "e")], 1005)); // no run: no writer
      const done = await d.finishPending(finish(finisher));
      expect(done.status).toBe("created");
      const expected = ids([finisher, w1, w0, w2, elsewhere]);
      // Each run once, the finisher first (still `producer`), then the writers by first upsert.
      expect(done.version.producer).toEqual(finisher);
      expect(ids(done.version.producers)).toEqual(expected);
      expect(ids((await store.artifacts.resolveVersion(shards("latest")))?.producers ?? [])).toEqual(
        expected,
      );
      expect(
        (await store.artifacts.listVersions("team", "proj", "shards")).map((v) => ids(v.producers)),
      ).toEqual([expected]);
      for (const run of [finisher, w0, w1, w2, elsewhere])
        expect(await producedBy(store, run)).toEqual(["shards:v0"]);
      // A finish again answers the version with the same producers.
      expect(ids((await d.finishPending(finish(runRef("late")))).version.producers)).toEqual(expected);
      expect(await producedBy(store, runRef("late"))).toEqual([]);
      // A deleted version is no longer in any writer's produced list.
      await store.artifacts.deleteVersion(shards("v0"), 3000);
      expect(await producedBy(store, w1)).toEqual([]);
    });

    it("lists a finisher that upserted too once; a plain logArtifact version has its one producer", async () => {
      const store = await open();
      const d = distributed(store);
      const rank = runRef("rank0");
      await d.upsertPending(upsert(rank, [file("a", "a")]));
      await d.upsertPending(upsert(runRef("rank1"), [file("b", "b")]));
      const done = await d.finishPending(finish(rank));
      expect(ids(done.version.producers)).toEqual(ids([rank, runRef("rank1")]));
      const entries = [file("m", "m")];
      const logged = await store.artifacts.commitVersion({
        entity: "team",
        project: "proj",
        name: "model",
        type: "model",
        entries,
        digest: sha(manifestDigestText(entries)),
        description: "",
        metadata: {},
        aliases: [],
        tags: [],
        producer: runRef("trainer"),
        now: 1000,
      });
      expect(logged.version.producers).toEqual([runRef("trainer")]);
      expect(await producedBy(store, rank)).toEqual(["shards:v0"]);
    });

    it("records no writer for a discarded pending version, nor for a finish answered with the latest unchanged", async () => {
      const store = await open();
      const d = distributed(store);
      await d.upsertPending(upsert(runRef("abandoned"), [file("x", "x")]));
      await d.discardPending(key);
      await d.upsertPending(upsert(runRef("kept"), [file("y", "y")]));
      const first = await d.finishPending(finish(runRef("finisher")));
      expect(ids(first.version.producers)).toEqual(ids([runRef("finisher"), runRef("kept")]));
      expect(await producedBy(store, runRef("abandoned"))).toEqual([]);
      // The same content again under a new distributedId: the latest answered, its producers kept.
      const again = { ...key, distributedId: "job-10" };
      await d.upsertPending({ ...upsert(runRef("repeat"), [file("y", "y")]), ...again });
      const unchanged = await d.finishPending({ ...finish(runRef("finisher2")), ...again });
      expect(unchanged.status).toBe("unchanged");
      expect(ids(unchanged.version.producers)).toEqual(ids([runRef("finisher"), runRef("kept")]));
      expect(await producedBy(store, runRef("repeat"))).toEqual([]);
    });
  });
}
