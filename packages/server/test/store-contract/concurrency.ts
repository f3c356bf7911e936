/**
 * Store contract, concurrency: what must hold when two API servers use one database at once.
 * Each test opens two stores on one fresh database (two connections) and sends them work
 * concurrently: the first API key, batches of one run, the first batch of new runs in one project
 * (ordinals unique and gap-free), the records of uploads to one path, and the crash sweep. A store that runs
 * each call at once (SQLite) serves the calls one after another in the order they were made, so
 * the tests alternate which connection goes first (each one's caches must notice the other's
 * writes); a store whose calls really overlap must hold the same results whatever the order.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunRef } from "@stepwise/protocol";
import type { Store, StoreBatch, StoredApiKey, StoredFile, StoredUpload } from "../../src/store/store.js";
import { expectBucketsMatchPoints, rows, runRef, scanAll } from "./contract-setup.js";

/** Two stores on one fresh, empty database, each with its own connection; the suite closes them. */
export type StorePairFactory = () => Promise<[Store, Store]>;

const file = (path: string, sha256: string, size: number): StoredFile => ({
  path,
  size,
  sha256,
  contentType: "application/octet-stream",
  updatedAt: size,
});

const upload = (id: string, ref: RunRef): StoredUpload => ({
  id,
  ref,
  path: "weights.bin",
  size: 1000,
  sha256: "c".repeat(64),
  contentType: "application/octet-stream",
  createdAt: 1,
  expiresAt: 1000,
});

export function concurrencyContract(openPair: StorePairFactory): void {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const pair = async (): Promise<[Store, Store]> => {
    const stores = await openPair();
    opened.push(...stores);
    return stores;
  };

  describe("concurrency", () => {
    it("makes one first API key when both connections create it on an empty store at once", async () => {
      for (const order of [0, 1]) {
        const [a, b] = await pair();
        const key = (id: string): StoredApiKey => ({
          id,
          name: "admin",
          entity: "local",
          admin: true,
          createdAt: 1,
          lastUsedAt: null,
        });
        const [first, second] = order === 0 ? [a, b] : [b, a];
        const made = await Promise.all([
          first.createFirstApiKey(key("one"), "hash-one"),
          second.createFirstApiKey(key("two"), "hash-two"),
        ]);
        expect(made.filter(Boolean)).toHaveLength(1);
        expect(await a.countApiKeys()).toBe(1);
        const kept = made[0] === true ? "one" : "two";
        expect((await b.listApiKeys()).map((k) => k.id)).toEqual([kept]);
        expect(await a.createFirstApiKey(key("three"), "hash-three")).toBe(false);
        expect(await b.countApiKeys()).toBe(1);
      }
    });

    it("stores each row of one run once when both connections apply every batch at once", async () => {
      const [a, b] = await pair();
      const ref = runRef("twice");
      const size = 700;
      const batches = 12;
      const y = (s: number): number => (s % 997 === 0 ? 1e6 : Math.sin(s / 50));
      for (let i = 0; i < batches; i++) {
        const from = i * size;
        const batch: StoreBatch = {
          history: { offset: from, rows: rows(from, size, (s) => ({ y: y(s) })) },
          events: { offset: i, lines: [{ _timestamp: i, "system.cpu": i }] },
          console: { offset: i, lines: [`line ${i}`] },
          summary: { last: from + size - 1 },
        };
        // A retry of the same batch reaching the other server while the first is in flight.
        const first = i % 2 === 0 ? a : b;
        const second = first === a ? b : a;
        const results = await Promise.all([
          first.applyBatch(ref, batch, i + 1),
          second.applyBatch(ref, batch, i + 1),
        ]);
        for (const result of results) expect(result.gap).toBeNull();
      }
      const total = size * batches;
      const steps = Array.from({ length: total }, (_, s) => s);
      const ys = steps.map(y);
      for (const store of [a, b]) {
        const run = await store.getRun(ref);
        expect(run?.offsets).toEqual({ history: total, events: batches, console: batches, meta: 0 });
        expect(run?.summary).toEqual({ last: total - 1 });
        expect(run?.ordinal).toBe(1);
        const history = (await scanAll(store, ref)).map(
          (text) => (JSON.parse(text) as { _step: number })._step,
        );
        expect(history).toEqual(steps);
        expect(await store.readStream(ref, "console", 0, 100)).toEqual(
          Array.from({ length: batches }, (_, i) => `line ${i}`),
        );
        const [exact] = await store.querySeries({
          runs: [ref],
          keys: ["y"],
          xAxis: "_step",
          buckets: 10_000,
        });
        expect(exact).toMatchObject({ count: total, exact: true, x: steps, last: ys });
        const [coarse] = await store.querySeries({ runs: [ref], keys: ["y"], xAxis: "_step", buckets: 100 });
        expectBucketsMatchPoints(coarse!, steps, ys, 0);
      }
    });

    it("creates one run when its first batch reaches both connections at once", async () => {
      const [a, b] = await pair();
      const ref = runRef("first");
      const batch: StoreBatch = {
        run: { name: "only" },
        history: { offset: 0, rows: rows(0, 10, (s) => ({ v: s })) },
      };
      const [one, two] = await Promise.all([a.applyBatch(ref, batch, 1), b.applyBatch(ref, batch, 1)]);
      expect(one.gap).toBeNull();
      expect(two.gap).toBeNull();
      expect((await a.listProjects("team")).map((p) => [p.name, p.runs])).toEqual([["proj", 1]]);
      expect(await b.getRun(ref)).toMatchObject({ name: "only", ordinal: 1, offsets: { history: 10 } });
      expect(await scanAll(b, ref)).toHaveLength(10);
    });

    it("numbers runs created at once from both connections 1…n, each number once", async () => {
      const [a, b] = await pair();
      const n = 40;
      const created = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 === 0 ? a : b).applyBatch(
            runRef(`r${i}`),
            { history: { offset: 0, rows: rows(0, 300, (s) => ({ v: i + s })) } },
            1,
          ),
        ),
      );
      const ordinals = created.map((r) => r.run.ordinal).sort((x, y) => x - y);
      expect(ordinals).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      for (let i = 0; i < n; i++) {
        expect((await a.getRun(runRef(`r${i}`)))?.ordinal).toBe(created[i]?.run.ordinal);
      }
      // Another project counts from 1 again.
      const other = await b.applyBatch(runRef("x", "elsewhere"), {}, 1);
      expect(other.run.ordinal).toBe(1);
    });

    it("keeps one record per path when both connections record uploads to it at once", async () => {
      const [a, b] = await pair();
      const ref = runRef("files");
      const puts = Array.from({ length: 10 }, (_, i) => file("model.bin", String(i).repeat(64), i + 1));
      await Promise.all(puts.map((f, i) => (i % 2 === 0 ? a : b).putFile(ref, f)));
      const listed = await a.listFiles(ref);
      expect(listed).toHaveLength(1);
      expect(puts).toContainEqual(listed[0]);
      expect(await b.listFiles(ref)).toEqual(listed);
      const referenced = await Promise.all(puts.map((f) => b.isBlobReferenced(f.sha256)));
      expect(referenced.filter(Boolean)).toHaveLength(1);
      expect(referenced[puts.findIndex((f) => f.sha256 === listed[0]?.sha256)]).toBe(true);

      // Two declarations of one upload at once: one is kept, and both connections find it.
      const [first, second] = [upload("upload-a", ref), upload("upload-b", ref)];
      await Promise.all([a.saveUpload(first), b.saveUpload(second)]);
      const foundA = await a.findUpload(ref, "weights.bin", 1000, "c".repeat(64));
      const foundB = await b.findUpload(ref, "weights.bin", 1000, "c".repeat(64));
      expect([first.id, second.id]).toContain(foundA?.id);
      expect(foundB).toEqual(foundA);
      const loser = foundA?.id === first.id ? second.id : first.id;
      expect(await a.getUpload(loser)).toBeNull();
    });

    it("keeps a user's edits made on one connection while the other ingests into the run", async () => {
      const [a, b] = await pair();
      const ref = runRef("edited");
      await a.applyBatch(ref, { summary: { loss: 1 } }, 1);
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        const rowsOf = rows(i * 200, 200, (s) => ({ v: s }));
        pending.push(b.applyBatch(ref, { history: { offset: i * 200, rows: rowsOf } }, 2 + i));
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending.push(a.updateRun(ref, { tags: [`t${i}`], notes: `n${i}` }));
      }
      const settled = await Promise.allSettled(pending);
      expect(settled.filter((r) => r.status === "rejected")).toEqual([]);
      const run = await b.getRun(ref);
      expect(run).toMatchObject({ tags: ["t19"], notes: "n19", offsets: { history: 4000 } });
      expect(await scanAll(a, ref)).toHaveLength(4000);
    });

    it("marks each silent run crashed once when two sweeps run at once, and keeps a run that spoke", async () => {
      const [a, b] = await pair();
      const silent = Array.from({ length: 10 }, (_, i) => runRef(`silent${i}`));
      for (const ref of silent) await a.applyBatch(ref, {}, 100);
      await b.applyBatch(runRef("alive"), {}, 500);
      await b.applyBatch(runRef("done"), { exit: { exitCode: 0, runtime: 1 } }, 100);
      const speaker = runRef("speaker");
      await a.applyBatch(speaker, {}, 100);
      const [one, heard, two] = await Promise.all([
        a.markStaleRunsCrashed(400),
        b.applyBatch(speaker, {}, 600),
        b.markStaleRunsCrashed(400),
      ]);
      // The speaker is counted when a sweep came before its batch (then revived by it), else not.
      expect(one + two - silent.length).toBeGreaterThanOrEqual(0);
      expect(one + two - silent.length).toBeLessThanOrEqual(1);
      expect(heard.run.state).toBe("running");
      for (const ref of silent) expect((await b.getRun(ref))?.state).toBe("crashed");
      expect((await a.getRun(speaker))?.state).toBe("running");
      expect((await a.getRun(runRef("alive")))?.state).toBe("running");
      expect((await a.getRun(runRef("done")))?.state).toBe("finished");
      expect(await Promise.all([a.markStaleRunsCrashed(400), b.markStaleRunsCrashed(400)])).toEqual([0, 0]);
    });
  });
}
