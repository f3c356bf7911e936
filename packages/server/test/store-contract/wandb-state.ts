/**
 * Store contract, the W&B endpoints' state between requests (Store.wandb, wandb-state-store.ts):
 * a pending artifact, its uploaded files and manifest and the version it became are read back as
 * written, from the same store and from a second connection (another API server); entries
 * created a day before a new one are dropped with their files; an upload holds its blob against
 * garbage collection until then; a blob's MD5 is kept once and
 * found both ways; a resumed run's console offsets move up by the stored count or stay, as the
 * first console request decides — once, also when two servers answer two requests at once.
 */
import { describe, expect, it } from "vitest";
import type { WandbPendingArtifact } from "../../src/store/wandb-state-store.js";
import type { StorePairFactory } from "./concurrency.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const DAY = 24 * 3600;

function pending(id: string, createdAt: number): WandbPendingArtifact {
  return {
    id,
    entity: "team",
    project: "proj",
    name: "dataset",
    type: "dataset",
    digest: "0123456789abcdef0123456789abcdef",
    description: "three files \u0000 and 日本 😀 'quoted' \\",
    metadata: { rows: 2, nested: { list: [1, "a", null] } },
    aliases: ["first", "best"],
    run: runRef("r1"),
    createdAt,
    manifest: null,
    committed: null,
  };
}

const file = (n: number) => ({ sha256: String(n).repeat(64).slice(0, 64), size: n * 10, md5: `md5-${n}==` });

export function wandbStateContract(factory: StoreFactory, openPair: StorePairFactory): void {
  const open = storeOpener(factory);

  describe("wandb state", () => {
    it("keeps a pending artifact, its files, manifest and version as written", async () => {
      const { wandb } = await open();
      expect(await wandb.getPending("Pnone")).toBeNull();
      const artifact = pending("P1", 1000);
      await wandb.createPending(artifact, 1000 - DAY);
      expect(await wandb.getPending("P1")).toEqual(artifact);
      expect(await wandb.putPendingFile("P1", "train.txt", file(1))).toBe(true);
      expect(await wandb.putPendingFile("P1", "nested/a b.json", file(2))).toBe(true);
      expect(await wandb.putPendingFile("P1", "train.txt", file(3))).toBe(true); // a re-upload replaces
      expect(await wandb.putPendingFile("Pnone", "x", file(4))).toBe(false);
      expect(await wandb.pendingFiles("P1")).toEqual(
        new Map([
          ["train.txt", file(3)],
          ["nested/a b.json", file(2)],
        ]),
      );
      expect(await wandb.pendingFiles("Pnone")).toEqual(new Map());
      const manifest = JSON.stringify({ contents: { "train.txt": { digest: "md5-3==", size: 30 } } });
      expect(await wandb.setPendingManifest("P1", manifest)).toBe(true);
      expect(await wandb.setPendingManifest("Pnone", manifest)).toBe(false);
      const version = { entity: "team", project: "proj", name: "dataset", alias: "v0" };
      await wandb.setPendingCommitted("P1", version);
      expect(await wandb.getPending("P1")).toEqual({ ...artifact, manifest, committed: version });
    });

    it("drops the entries created a day before a new one, with their files", async () => {
      const { wandb } = await open();
      await wandb.createPending(pending("Pold", 1000), 1000 - DAY);
      await wandb.putPendingFile("Pold", "a", file(1));
      await wandb.createPending(pending("Pkept", 2000), 2000 - DAY);
      await wandb.createPending(pending("Pnew", 1000 + DAY + 1), 1000 + 1);
      expect(await wandb.getPending("Pold")).toBeNull();
      expect(await wandb.pendingFiles("Pold")).toEqual(new Map());
      expect(await wandb.putPendingFile("Pold", "b", file(2))).toBe(false);
      expect((await wandb.getPending("Pkept"))?.id).toBe("Pkept");
      expect((await wandb.getPending("Pnew"))?.id).toBe("Pnew");
    });

    it("holds the blobs of a pending artifact's uploads against garbage collection until dropped", async () => {
      const store = await open();
      const held = file(7).sha256;
      expect(await store.isBlobReferenced(held)).toBe(false);
      await store.wandb.createPending(pending("Pheld", 1000), 1000 - DAY);
      await store.wandb.putPendingFile("Pheld", "weights.bin", file(7));
      expect(await store.isBlobReferenced(held)).toBe(true);
      expect(await store.collectBlob(held, () => true)).toBe(false);
      await store.wandb.createPending(pending("Plater", 1000 + DAY + 1), 1000 + 1);
      expect(await store.isBlobReferenced(held)).toBe(false);
      expect(await store.collectBlob(held, () => true)).toBe(true);
    });

    it("keeps a blob's MD5 once, found by SHA-256 and by MD5", async () => {
      const { wandb } = await open();
      const a = "a".repeat(64);
      const b = "b".repeat(64);
      expect(await wandb.blobByMd5("md5-a")).toBeNull();
      await wandb.rememberMd5(a, "md5-a");
      await wandb.rememberMd5(a, "md5-a");
      await wandb.rememberMd5(b, "md5-b");
      await wandb.rememberMd5(b, "md5-other"); // an MD5 never changes: the first is kept
      expect(await wandb.md5sOf([a, b, "c".repeat(64), a])).toEqual(
        new Map([
          [a, "md5-a"],
          [b, "md5-b"],
        ]),
      );
      expect(await wandb.md5sOf([])).toEqual(new Map());
      expect(await wandb.blobByMd5("md5-a")).toBe(a);
      expect(await wandb.blobByMd5("md5-other")).toBeNull();
    });

    it("moves a resumed run's console offsets by the count, or keeps them, as its first request decides", async () => {
      const { wandb } = await open();
      const [from0, fromCount, empty, other] = ["r0", "r1", "r2", "r3"].map((id) => runRef(id));
      expect(await wandb.consoleOffset(from0!, 0)).toBe(0); // not resuming
      await wandb.consoleResuming(from0!, 5, 100, 100 - DAY);
      await wandb.consoleResuming(fromCount!, 5, 100, 100 - DAY);
      await wandb.consoleResuming(empty!, 0, 100, 100 - DAY);
      await wandb.consoleResuming(other!, 7, 100, 100 - DAY);
      expect(await wandb.consoleOffset(from0!, 0)).toBe(5); // an old client: moved up
      expect(await wandb.consoleOffset(from0!, 6)).toBe(11); // decided: every later one too
      expect(await wandb.consoleOffset(fromCount!, 5)).toBe(5); // a new client: kept
      expect(await wandb.consoleOffset(fromCount!, 0)).toBe(0); // … and forgotten
      expect(await wandb.consoleOffset(empty!, 0)).toBe(0);
      await wandb.consoleEnded(from0!);
      expect(await wandb.consoleOffset(from0!, 3)).toBe(3);
      // Resumed again: decided afresh.
      await wandb.consoleResuming(fromCount!, 9, 200, 200 - DAY);
      expect(await wandb.consoleOffset(fromCount!, 1)).toBe(10);
      // A resume never followed by a console request is dropped after a day.
      await wandb.consoleResuming(from0!, 4, 101 + DAY, 101);
      expect(await wandb.consoleOffset(other!, 0)).toBe(0);
      expect(await wandb.consoleOffset(from0!, 0)).toBe(4);
    });

    it("shares the state between two connections; two first console requests at once agree", async () => {
      const [one, two] = await openPair();
      try {
        await one.wandb.createPending(pending("P1", 1000), 1000 - DAY);
        await two.wandb.putPendingFile("P1", "a.txt", file(1));
        await one.wandb.setPendingManifest("P1", "{}");
        expect(await two.wandb.getPending("P1")).toMatchObject({ id: "P1", manifest: "{}" });
        expect(await one.wandb.pendingFiles("P1")).toEqual(new Map([["a.txt", file(1)]]));
        await two.wandb.rememberMd5("d".repeat(64), "md5-d");
        expect(await one.wandb.blobByMd5("md5-d")).toBe("d".repeat(64));

        for (const [index, first] of [one, two].entries()) {
          const ref = runRef(`resumed${index}`);
          await first.wandb.consoleResuming(ref, 5, 100, 100 - DAY);
          // An old client's offset 2 and a new client's 7, each on its server, at once: whichever
          // came first decided, and the other followed (never both moved, never one moved twice).
          const both = await Promise.all([one.wandb.consoleOffset(ref, 2), two.wandb.consoleOffset(ref, 7)]);
          expect([
            [7, 12],
            [2, 7],
          ]).toContainEqual(both);
        }
      } finally {
        await one.close();
        await two.close();
      }
    });
  });
}
