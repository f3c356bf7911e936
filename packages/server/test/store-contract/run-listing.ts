/**
 * Store contract, run listing: newest first by default, typed filters on state, tags, group,
 * name, id and config/summary paths, sorts with missing values last, keyset pages, the `select`
 * projection (only the named config/summary paths, exact), and speed at 10,000 runs.
 */
import { describe, expect, it } from "vitest";
import type { RunFilter, RunListQuery, Store } from "../../src/store/store.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

/** Ten runs with varied metadata, config and summary, created at t = 1 … 10. */
async function seedListing(store: Store): Promise<void> {
  for (let i = 1; i <= 10; i++) {
    await store.applyBatch(
      runRef(`run-${i}`),
      {
        run: {
          name: i % 2 === 0 ? `Even-${i}` : `odd-${i}`,
          group: i <= 5 ? "sweep-a" : "sweep-b",
          jobType: "train",
          tags: i % 3 === 0 ? ["best", "t3"] : ["t"],
          startTime: i,
          config: {
            lr: i / 100,
            opt: { name: i % 2 === 0 ? "adam" : "sgd" },
            "a.b": i,
            flag: i > 5,
            maybe: null,
          },
        },
        summary: i === 10 ? {} : { acc: i / 10, loss: 10 - i, text: `v${i}` },
      },
      i,
    );
  }
  await store.applyBatch(runRef("run-9"), { exit: { exitCode: 0, runtime: 1 } }, 20);
  await store.applyBatch(runRef("run-8"), { exit: { exitCode: 1, runtime: 1 } }, 20);
}

export function runListingContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("run listing", () => {
    const ids = async (store: Store, query: Partial<RunListQuery>): Promise<string[]> =>
      (await store.listRuns({ entity: "team", project: "proj", limit: 1000, ...query })).runs.map(
        (r) => r.id,
      );

    it("lists newest first by default, with the total, and pages with a cursor", async () => {
      const store = await open();
      await seedListing(store);
      const first = await store.listRuns({ entity: "team", project: "proj", limit: 4 });
      expect(first.total).toBe(10);
      expect(first.runs.map((r) => r.id)).toEqual(["run-10", "run-9", "run-8", "run-7"]);
      const seen = [...first.runs.map((r) => r.id)];
      let cursor = first.nextCursor;
      while (cursor !== null) {
        const page = await store.listRuns({ entity: "team", project: "proj", limit: 4, cursor });
        expect(page.total).toBe(10);
        seen.push(...page.runs.map((r) => r.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `run-${10 - i}`));
      expect(await store.listRuns({ entity: "team", project: "empty" })).toEqual({
        runs: [],
        total: 0,
        nextCursor: null,
      });
    });

    it("pages through runs with equal sort values without repeats or gaps", async () => {
      const store = await open();
      for (let i = 0; i < 7; i++)
        await store.applyBatch(runRef(`tie-${i}`), { run: { startTime: 5, name: "same" } }, 5);
      for (const order of [
        { field: "createdAt", desc: true },
        { field: "name", desc: false },
      ] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.listRuns({
            entity: "team",
            project: "proj",
            limit: 2,
            order,
            ...(cursor === null ? {} : { cursor }),
          });
          seen.push(...page.runs.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect([...seen].sort()).toEqual(Array.from({ length: 7 }, (_, i) => `tie-${i}`));
      }
    });

    it("filters on state, tags, group, name and id", async () => {
      const store = await open();
      await seedListing(store);
      expect(await ids(store, { filters: [{ field: "state", op: "eq", value: "finished" }] })).toEqual([
        "run-9",
      ]);
      expect(
        await ids(store, { filters: [{ field: "state", op: "in", value: ["finished", "failed"] }] }),
      ).toEqual(["run-9", "run-8"]);
      expect(await ids(store, { filters: [{ field: "state", op: "ne", value: "running" }] })).toHaveLength(2);
      expect(await ids(store, { filters: [{ field: "tags", op: "contains", value: "best" }] })).toEqual([
        "run-9",
        "run-6",
        "run-3",
      ]);
      expect(await ids(store, { filters: [{ field: "group", op: "eq", value: "sweep-a" }] })).toHaveLength(5);
      expect(await ids(store, { filters: [{ field: "name", op: "contains", value: "even" }] })).toEqual([
        "run-10",
        "run-8",
        "run-6",
        "run-4",
        "run-2",
      ]);
      expect(
        await ids(store, { filters: [{ field: "id", op: "in", value: ["run-1", "run-2", "zzz"] }] }),
      ).toEqual(["run-2", "run-1"]);
      expect(
        await ids(store, {
          filters: [
            { field: "group", op: "ne", value: "sweep-a" },
            { field: "tags", op: "contains", value: "t3" },
          ],
        }),
      ).toEqual(["run-9", "run-6"]);
    });

    it("filters on config and summary paths with typed comparisons", async () => {
      const store = await open();
      await seedListing(store);
      const cfg = (op: string, path: string, value?: unknown) =>
        ids(store, { filters: [{ field: "config", op, path, value } as RunFilter] });
      expect(await cfg("eq", "lr", 0.03)).toEqual(["run-3"]);
      expect(await cfg("eq", "opt.name", "adam")).toHaveLength(5);
      expect(await cfg("eq", "a\\.b", 7)).toEqual(["run-7"]);
      expect(await cfg("eq", "a\\.b", "7")).toEqual([]);
      expect(await cfg("eq", "flag", true)).toHaveLength(5);
      expect(await cfg("eq", "maybe", null)).toHaveLength(10);
      expect(await cfg("eq", "opt", { name: "sgd" })).toHaveLength(5);
      expect(await cfg("gt", "lr", 0.08)).toEqual(["run-10", "run-9"]);
      expect(await cfg("lte", "lr", 0.02)).toEqual(["run-2", "run-1"]);
      expect(await cfg("in", "a\\.b", [1, 2, "3"])).toEqual(["run-2", "run-1"]);
      expect(await cfg("exists", "opt.name")).toHaveLength(10);
      expect(await cfg("exists", "opt.missing", false)).toHaveLength(10);
      const sum = (op: string, path: string, value?: unknown) =>
        ids(store, { filters: [{ field: "summary", op, path, value } as RunFilter] });
      expect(await sum("gte", "acc", 0.8)).toEqual(["run-9", "run-8"]);
      expect(await sum("ne", "loss", 9)).toHaveLength(9); // missing counts as "not equal"
      expect(await sum("lt", "text", "v3")).toEqual(["run-2", "run-1"]);
      expect(await sum("exists", "acc", false)).toEqual(["run-10"]);
    });

    it("sorts by fields and by config/summary paths, missing values last, and pages through them", async () => {
      const store = await open();
      await seedListing(store);
      expect(await ids(store, { order: { field: "createdAt", desc: false } })).toEqual(
        Array.from({ length: 10 }, (_, i) => `run-${i + 1}`),
      );
      expect((await ids(store, { order: { field: "name", desc: false } }))[0]).toBe("run-10");
      const byAcc = await ids(store, { order: { field: "summary", path: "acc", desc: true } });
      expect(byAcc).toEqual([
        "run-9",
        "run-8",
        "run-7",
        "run-6",
        "run-5",
        "run-4",
        "run-3",
        "run-2",
        "run-1",
        "run-10",
      ]);
      const byAccAsc = await ids(store, { order: { field: "summary", path: "acc", desc: false } });
      expect(byAccAsc).toEqual([
        "run-1",
        "run-2",
        "run-3",
        "run-4",
        "run-5",
        "run-6",
        "run-7",
        "run-8",
        "run-9",
        "run-10",
      ]);
      for (const desc of [true, false]) {
        const paged: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await store.listRuns({
            entity: "team",
            project: "proj",
            limit: 3,
            order: { field: "summary", path: "acc", desc },
            ...(cursor === undefined ? {} : { cursor }),
          });
          paged.push(...page.runs.map((r) => r.id));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        expect(paged).toEqual(desc ? byAcc : byAccAsc);
      }
    });

    it("selects config and summary paths: nested, escaped, missing, non-finite; nothing else", async () => {
      const store = await open();
      await store.applyBatch(
        runRef("full"),
        {
          run: {
            name: "full",
            startTime: 1,
            config: { opt: { lr: 0.1, name: "adam" }, "a.b": 1, big: { x: 1, y: [1, 2] }, other: "x" },
          },
          summary: {
            loss: Number.NaN,
            best: Number.POSITIVE_INFINITY,
            worst: Number.NEGATIVE_INFINITY,
            "val/acc": { max: 0.9, min: 0.1 },
            'say "hi"': "yes",
            unasked: 3,
          },
        },
        1,
      );
      await store.applyBatch(
        runRef("flat"),
        { run: { startTime: 2, config: { opt: 5 } }, summary: { loss: 1 } },
        2,
      );
      await store.applyBatch(runRef("empty"), { run: { startTime: 3 } }, 3);
      const select = {
        config: ["opt.lr", "a\\.b", "big", "missing.deep"],
        summary: ["loss", "best", "worst", "val/acc.max", 'say "hi"', "nothing"],
      };
      const whole = await store.listRuns({
        entity: "team",
        project: "proj",
        order: { field: "createdAt", desc: false },
      });
      const page = await store.listRuns({
        entity: "team",
        project: "proj",
        order: { field: "createdAt", desc: false },
        select,
      });
      expect(page.runs.map((r) => [r.config, r.summary])).toEqual([
        [
          { opt: { lr: 0.1 }, "a.b": 1, big: { x: 1, y: [1, 2] } },
          {
            loss: Number.NaN,
            best: Number.POSITIVE_INFINITY,
            worst: Number.NEGATIVE_INFINITY,
            "val/acc": { max: 0.9 },
            'say "hi"': "yes",
          },
        ],
        [{}, { loss: 1 }],
        [{}, {}],
      ]);
      expect(Number.isNaN(page.runs[0]?.summary["loss"])).toBe(true);
      // Everything else of each run is as listed without the projection.
      expect(page.runs.map((r) => ({ ...r, config: {}, summary: {} }))).toEqual(
        whole.runs.map((r) => ({ ...r, config: {}, summary: {} })),
      );
      expect(page.total).toBe(whole.total);
      // A path inside a selected one adds nothing; empty lists select nothing.
      const nested = await store.listRuns({
        entity: "team",
        project: "proj",
        filters: [{ field: "id", op: "eq", value: "full" }],
        select: { config: ["opt.lr", "opt"], summary: [] },
      });
      expect(nested.runs.map((r) => [r.config, r.summary])).toEqual([
        [{ opt: { lr: 0.1, name: "adam" } }, {}],
      ]);
    });

    it("selects paths together with filters, sorts on unselected paths and cursors", async () => {
      const store = await open();
      await seedListing(store);
      const seen: Array<[string, unknown]> = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.listRuns({
          entity: "team",
          project: "proj",
          filters: [{ field: "config", path: "opt.name", op: "eq", value: "adam" }],
          order: { field: "summary", path: "acc", desc: true },
          select: { config: [], summary: ["loss"] },
          limit: 2,
          ...(cursor === undefined ? {} : { cursor }),
        });
        for (const run of page.runs) {
          expect(run.config).toEqual({});
          seen.push([run.id, run.summary["loss"]]);
        }
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([
        ["run-8", 2],
        ["run-6", 4],
        ["run-4", 6],
        ["run-2", 8],
        ["run-10", undefined],
      ]);
    });

    it("lists, filters and sorts 10,000 runs quickly", async () => {
      const store = await open();
      for (let i = 0; i < 10_000; i++) {
        await store.applyBatch(
          runRef(`r${i}`),
          {
            run: {
              name: `run-${i}`,
              startTime: i,
              tags: i % 10 === 0 ? ["tenth"] : [],
              config: { lr: (i % 100) / 1000, seed: i },
            },
            summary: { acc: (i * 7919) % 10_000, loss: 1 / (i + 1) },
          },
          i,
        );
      }
      const time = async (query: Partial<RunListQuery>) => {
        const started = performance.now();
        const page = await store.listRuns({ entity: "team", project: "proj", ...query });
        return { page, ms: performance.now() - started };
      };
      const plain = await time({});
      expect(plain.page.total).toBe(10_000);
      expect(plain.page.runs).toHaveLength(100);
      expect(plain.page.runs[0]?.id).toBe("r9999");
      const filtered = await time({
        filters: [
          { field: "config", path: "lr", op: "lt", value: 0.05 },
          { field: "tags", op: "contains", value: "tenth" },
        ],
        order: { field: "summary", path: "acc", desc: true },
      });
      expect(filtered.page.total).toBe(500);
      const accs = filtered.page.runs.map((r) => r.summary.acc as number);
      expect(accs).toEqual([...accs].sort((a, b) => b - a));
      const deep = await time({ order: { field: "summary", path: "acc", desc: false }, limit: 1000 });
      const next = await time({
        order: { field: "summary", path: "acc", desc: false },
        limit: 1000,
        cursor: deep.page.nextCursor ?? "",
      });
      expect(next.page.runs[0]?.summary.acc).toBe(1000);
      // Generous bounds for slow CI machines; the measured numbers are in docs/storage.md.
      expect(plain.ms).toBeLessThan(500);
      expect(filtered.ms).toBeLessThan(1000);
      expect(next.ms).toBeLessThan(1000);
    }, 120_000);
  });
}
