/**
 * Artifacts and the registry on PostgreSQL with two stores on one database (two pools, as two
 * API servers have), their calls really overlapping: commits to one collection are numbered
 * v0…vn each once with `latest` on the newest, racing finishes from both commit one version,
 * an alias moved from both ends on exactly one version, links from both are numbered each
 * once, and garbage collection racing a commit never frees a blob the committed manifest holds.
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import type { CommitVersionInput } from "../src/store/artifact-store.js";
import type { DistributedArtifactStore } from "../src/store/distributed-artifact-store.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import type { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const opened: PostgresStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function pair(): Promise<[PostgresStore, PostgresStore]> {
  if (server === null) throw new Error("the PostgreSQL server did not start");
  const url = await server.createDatabase();
  const a = await openPostgresStore(url);
  const b = await openPostgresStore(url);
  opened.push(a, b);
  return [a, b];
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const file = (path: string, content: string): ManifestEntry => ({
  path,
  sha256: sha(content),
  size: content.length,
});
const commit = (entries: ManifestEntry[], extra: Partial<CommitVersionInput> = {}): CommitVersionInput => ({
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
  producer: null,
  now: 1000,
  ...extra,
});
function distributed(store: PostgresStore): DistributedArtifactStore {
  if (store.artifacts.distributed === undefined) throw new Error("no distributed artifacts");
  return store.artifacts.distributed;
}
const ref = (alias: string) => ({ entity: "team", project: "proj", name: "model", alias });

describe.skipIf(missing !== null)(
  `PostgreSQL artifacts from two servers at once${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("numbers concurrent commits to one collection v0…vn, each once, latest on the newest", async () => {
      const [a, b] = await pair();
      const n = 16;
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 === 0 ? a : b).artifacts.commitVersion(
            commit([file("w", `content ${i}`)], { now: 1000 + i }),
          ),
        ),
      );
      expect(results.every((r) => r.status === "created")).toBe(true);
      const names = results
        .map((r) => r.version.version)
        .sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
      expect(names).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
      const listed = await b.artifacts.listVersions("team", "proj", "model");
      expect(listed).toHaveLength(n);
      expect(listed.filter((v) => v.aliases.includes("latest")).map((v) => v.version)).toEqual([`v${n - 1}`]);
      // Each version holds the content its commit sent.
      for (const [i, result] of results.entries())
        expect(await a.artifacts.readManifest(ref(result.version.version), null, 10)).toEqual([
          file("w", `content ${i}`),
        ]);
    });

    it("commits one version when both servers finish a distributed artifact at once", async () => {
      const [a, b] = await pair();
      const key = { entity: "team", project: "proj", name: "model", distributedId: "job" };
      const upsert = (store: PostgresStore, entry: ManifestEntry) =>
        distributed(store).upsertPending({
          ...key,
          type: "model",
          entries: [entry],
          aliases: [],
          tags: [],
          writer: { entity: "team", project: "proj", runId: `rank-${entry.path}` },
          now: 1000,
        });
      await Promise.all([upsert(a, file("a", "a")), upsert(b, file("b", "b")), upsert(a, file("c", "c"))]);
      const finishes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          distributed(i % 2 === 0 ? a : b).finishPending({
            ...key,
            type: "model",
            description: "",
            metadata: {},
            aliases: [],
            tags: [],
            producer: null,
            now: 2000 + i,
          }),
        ),
      );
      expect(finishes.filter((f) => f.status === "created")).toHaveLength(1);
      expect(new Set(finishes.map((f) => f.version.version))).toEqual(new Set(["v0"]));
      expect((await a.artifacts.listVersions("team", "proj", "model")).map((v) => v.fileCount)).toEqual([3]);
      // Every writer, through either server, is a producer of the one version.
      expect(finishes[0]?.version.producers.map((r) => r.runId).sort()).toEqual([
        "rank-a",
        "rank-b",
        "rank-c",
      ]);
    });

    it("leaves an alias moved from both servers at once on exactly one version", async () => {
      const [a, b] = await pair();
      for (let i = 0; i < 4; i++) await a.artifacts.commitVersion(commit([file("w", String(i))]));
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b).artifacts.setAliases(ref(`v${i % 4}`), ["production"], 2000 + i),
        ),
      );
      const holders = (await b.artifacts.listVersions("team", "proj", "model")).filter((v) =>
        v.aliases.includes("production"),
      );
      expect(holders).toHaveLength(1);
      expect((await a.artifacts.resolveVersion(ref("production")))?.version).toBe(holders[0]?.version);
    });

    it("numbers links made from both servers at once, each once, with one audit entry each", async () => {
      const [a, b] = await pair();
      const n = 10;
      for (let i = 0; i < n; i++) await a.artifacts.commitVersion(commit([file("w", String(i))]));
      const target = { entity: "team", registry: "model", collection: "best" };
      const links = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 === 0 ? a : b).registry.link({
            ...target,
            source: ref(`v${i}`),
            aliases: [],
            actor: `server-${i % 2}`,
            now: 3000 + i,
          }),
        ),
      );
      expect(links.map((l) => l.version.version).sort()).toEqual(
        Array.from({ length: n }, (_, i) => `v${i}`).sort(),
      );
      const audit = await b.registry.audit("team", "model", "best", 100);
      expect(audit.filter((e) => e.action === "link")).toHaveLength(n);
    });

    it("never collects a blob that a commit racing the collection holds", async () => {
      const [a, b] = await pair();
      for (let round = 0; round < 20; round++) {
        const content = `weights ${round}`;
        const entry = file("weights.bin", content);
        let present = true; // the blob in the blob store
        const committed = a.artifacts
          .commitVersion(
            commit([entry], {
              name: `m${round}`,
              whileLocked: () => {
                if (!present) throw new Error("the blob is gone");
              },
            }),
          )
          .then(
            () => true,
            () => false,
          );
        const collected = b.collectBlob(sha(content), () => {
          present = false;
          return true;
        });
        const [kept, freed] = await Promise.all([committed, collected]);
        // A commit that succeeded holds a blob that is still there; otherwise the GC freed it.
        if (kept) expect([present, freed]).toEqual([true, false]);
        else expect([present, freed]).toEqual([false, true]);
      }
    });
  },
);
