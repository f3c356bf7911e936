/**
 * Store contract, ingestion: the idempotent batch. Re-sent items are skipped, a gap on any
 * stream changes nothing and names the expected offset, console lines may be rewritten, meta
 * records apply in order exactly once, and the summary snapshot replaces the stored summary.
 */
import { describe, expect, it } from "vitest";
import { STREAMS, type StreamName } from "@stepwise/protocol";
import { rows, runRef, scanAll, storeOpener, type StoreFactory } from "./contract-setup.js";
import type { StoreBatch } from "../../src/store/store.js";

const ONE_ITEM: Record<StreamName, (offset: number) => StoreBatch> = {
  history: (offset) => ({ history: { offset, rows: [{ _step: offset, x: offset }] } }),
  events: (offset) => ({ events: { offset, lines: [{ _timestamp: offset, "system.cpu": 1 }] } }),
  console: (offset) => ({ console: { offset, lines: [`line ${offset}`] } }),
  meta: (offset) => ({ meta: { offset, records: [{ t: "config", update: { [`k${offset}`]: offset } }] } }),
};

export function ingestContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("ingest", () => {
    it("treats a re-sent batch as a no-op", async () => {
      const store = await open();
      const ref = runRef("idem");
      const batch: StoreBatch = {
        history: { offset: 0, rows: rows(0, 50, (s) => ({ loss: 1 / (s + 1) })) },
        events: { offset: 0, lines: [{ _timestamp: 1, "system.cpu": 50 }] },
        console: { offset: 0, lines: ["hello"] },
        meta: { offset: 0, records: [{ t: "summary", ops: [{ op: "set", path: ["best"], value: 1 }] }] },
      };
      const first = await store.applyBatch(ref, batch, 10);
      const history = await scanAll(store, ref);
      const series = await store.querySeries({ runs: [ref], keys: ["loss"], xAxis: "_step", buckets: 100 });
      const again = await store.applyBatch(ref, batch, 20);
      expect(again.gap).toBeNull();
      expect(again.run.offsets).toEqual({ history: 50, events: 1, console: 1, meta: 1 });
      expect({ ...again.run, heartbeatAt: 0 }).toEqual({ ...first.run, heartbeatAt: 0 });
      expect(await scanAll(store, ref)).toEqual(history);
      expect(await store.querySeries({ runs: [ref], keys: ["loss"], xAxis: "_step", buckets: 100 })).toEqual(
        series,
      );
      expect(await store.readStream(ref, "events", 0, 10)).toHaveLength(1);
    });

    it("stores only the new part of a batch that overlaps what is stored", async () => {
      const store = await open();
      const ref = runRef("overlap");
      await store.applyBatch(ref, { history: { offset: 0, rows: rows(0, 10, (s) => ({ v: s })) } }, 1);
      const { run } = await store.applyBatch(
        ref,
        { history: { offset: 5, rows: rows(5, 10, (s) => ({ v: s * 100 })) } },
        2,
      );
      expect(run.offsets.history).toBe(15);
      const values = (await scanAll(store, ref)).map((text) => (JSON.parse(text) as { v: number }).v);
      expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000, 1100, 1200, 1300, 1400]);
      const [series] = await store.querySeries({ runs: [ref], keys: ["v"], xAxis: "_step", buckets: 100 });
      expect(series?.count).toBe(15);
    });

    for (const stream of STREAMS) {
      it(`reports a gap on ${stream} with the expected offset and changes nothing`, async () => {
        const store = await open();
        const ref = runRef(`gap-${stream}`);
        await store.applyBatch(ref, { ...ONE_ITEM[stream](0), summary: { kept: true } }, 1);
        const before = await store.getRun(ref);
        const gapped: StoreBatch = {
          ...ONE_ITEM.history(stream === "history" ? 5 : 1),
          ...ONE_ITEM.events(stream === "events" ? 5 : 0),
          ...ONE_ITEM.console(stream === "console" ? 5 : 0),
          ...ONE_ITEM.meta(stream === "meta" ? 5 : 0),
          run: { name: "changed" },
          summary: { replaced: true },
          exit: { exitCode: 0, runtime: 1 },
        };
        if (stream !== "history") gapped.history = { offset: 0, rows: [{ _step: 0, x: 0 }] };
        const result = await store.applyBatch(ref, gapped, 2);
        expect(result.gap).toEqual({ stream, expected: 1 });
        expect(await store.getRun(ref)).toEqual(before);
        if (stream !== "history") expect(await scanAll(store, ref)).toEqual([]);
      });
    }

    it("creates nothing for an unknown run whose batch starts past offset 0", async () => {
      const store = await open();
      const result = await store.applyBatch(runRef("late"), ONE_ITEM.history(3), 1);
      expect(result.gap).toEqual({ stream: "history", expected: 0 });
      expect(await store.getRun(runRef("late"))).toBeNull();
    });

    it("rewrites console lines at old offsets and appends past the end", async () => {
      const store = await open();
      const ref = runRef("console");
      await store.applyBatch(ref, { console: { offset: 0, lines: ["a", "b 10%", "c"] } }, 1);
      const { run } = await store.applyBatch(
        ref,
        { console: { offset: 1, lines: ["b 100%", "c!", "d"] } },
        2,
      );
      expect(run.offsets.console).toBe(4);
      expect(await store.readStream(ref, "console", 0, 100)).toEqual(["a", "b 100%", "c!", "d"]);
      expect(await store.readStream(ref, "console", 2, 1)).toEqual(["c!"]);
      await store.applyBatch(ref, { console: { offset: 0, lines: ["A"] } }, 3);
      expect(await store.readStream(ref, "console", 0, 100)).toEqual(["A", "b 100%", "c!", "d"]);
    });

    it("keeps events as JSON lines, readable from an offset", async () => {
      const store = await open();
      const ref = runRef("events");
      const lines = [
        { _timestamp: 1, _runtime: 0, "system.cpu": 10 },
        { _timestamp: 2, _runtime: 1, "system.cpu": Number.NaN },
      ];
      await store.applyBatch(ref, { events: { offset: 0, lines } }, 1);
      expect(await store.readStream(ref, "events", 1, 10)).toEqual([
        '{"_timestamp":2,"_runtime":1,"system.cpu":NaN}',
      ]);
      expect(await store.readStream(runRef("nobody"), "events", 0, 10)).toEqual([]);
    });

    it("applies meta records in order, once: config, metric definitions, summary edits, run updates", async () => {
      const store = await open();
      const ref = runRef("meta");
      const metric = (summary: ("min" | "max")[]) => ({
        t: "metric" as const,
        name: "val/acc",
        path: ["val/acc"],
        glob: false,
        stepMetric: null,
        stepSync: false,
        hidden: false,
        summary,
        goal: null,
        expandedFrom: null,
      });
      const first: StoreBatch = {
        run: { config: { lr: 1, opt: { name: "sgd" } } },
        meta: {
          offset: 0,
          records: [
            { t: "config", update: { opt: { momentum: 0.9 } } },
            metric(["min"]),
            { t: "summary", ops: [{ op: "set", path: ["best", "acc"], value: 0.5 }] },
            { t: "run-update", name: "renamed", tags: ["x"] },
          ],
        },
      };
      await store.applyBatch(ref, first, 1);
      const second: StoreBatch = {
        meta: {
          offset: 4,
          records: [
            { t: "config", update: { lr: 2 } },
            metric(["max"]),
            {
              t: "summary",
              ops: [
                { op: "remove", path: ["best", "acc"] },
                { op: "set", path: ["n"], value: 1 },
              ],
            },
            { t: "run-update", notes: "later" },
          ],
        },
      };
      await store.applyBatch(ref, second, 2);
      await store.applyBatch(ref, first, 3); // re-sent (as by `sync` run twice): nothing of it applies again
      const run = await store.getRun(ref);
      expect(run).toMatchObject({
        name: "renamed",
        tags: ["x"],
        notes: "later",
        config: { lr: 2, opt: { name: "sgd", momentum: 0.9 } },
        summary: { best: {}, n: 1 },
        offsets: { meta: 4 + 4 },
      });
      expect(run?.metrics).toEqual([metric(["max"])]);
    });

    it("does not roll metadata or the summary back when an old batch is re-sent", async () => {
      const store = await open();
      const ref = runRef("rollback");
      const old: StoreBatch = {
        run: { name: "first", tags: ["a"] },
        ...ONE_ITEM.history(0),
        summary: { x: 0 },
      };
      await store.applyBatch(ref, old, 1);
      await store.applyBatch(
        ref,
        { run: { name: "second", tags: ["b"] }, ...ONE_ITEM.history(1), summary: { x: 1 } },
        2,
      );
      await store.applyBatch(ref, old, 3);
      expect(await store.getRun(ref)).toMatchObject({
        name: "second",
        tags: ["b"],
        summary: { x: 1 },
        heartbeatAt: 3,
      });
    });

    it("replaces the stored summary with a batch's summary snapshot", async () => {
      const store = await open();
      const ref = runRef("summary");
      await store.applyBatch(ref, { summary: { a: 1, b: { c: 2 } } }, 1);
      const { run } = await store.applyBatch(ref, { summary: { a: 3, inf: Number.POSITIVE_INFINITY } }, 2);
      expect(run.summary).toEqual({ a: 3, inf: Number.POSITIVE_INFINITY });
      expect((await store.getRun(ref))?.summary).toEqual({ a: 3, inf: Number.POSITIVE_INFINITY });
    });

    it("tracks the largest step and the heartbeat", async () => {
      const store = await open();
      const ref = runRef("steps");
      const { run } = await store.applyBatch(
        ref,
        { history: { offset: 0, rows: [{ _step: 0 }, { _step: 7, a: 1 }, { _step: 9, b: "x" }] } },
        42,
      );
      expect(run).toMatchObject({ lastStep: 9, heartbeatAt: 42 });
      expect((await store.applyBatch(ref, {}, 50)).run.heartbeatAt).toBe(50);
    });
  });
}
