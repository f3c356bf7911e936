/**
 * Store contract, runs: creation on first batch, generated names, metadata, lifecycle states,
 * staleness, updates, and entity/project rollups. Listing is in run-listing.ts.
 */
import { describe, expect, it } from "vitest";
import { NotFoundError } from "@stepwise/protocol";
import { rows, runRef, storeOpener, type StoreFactory } from "./contract-setup.js";
import type { StoreBatch } from "../../src/store/store.js";

export function runsContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("runs", () => {
    it("creates a run on its first batch, running, with a generated adjective-noun-N name", async () => {
      const store = await open();
      expect(await store.getRun(runRef("a"))).toBeNull();
      const first = await store.applyBatch(runRef("a"), {}, 100);
      const second = await store.applyBatch(runRef("b"), {}, 101);
      const named = await store.applyBatch(runRef("c"), { run: { name: "baseline" } }, 102);
      const otherProject = await store.applyBatch(runRef("d", "other"), {}, 103);
      expect(first.run.name).toMatch(/^[a-z]+-[a-z]+-1$/);
      expect(second.run.name).toMatch(/^[a-z]+-[a-z]+-2$/);
      expect(named.run.name).toBe("baseline");
      expect(otherProject.run.name).toMatch(/-1$/);
      expect(first.run).toMatchObject({ state: "running", createdAt: 100, heartbeatAt: 100, lastStep: null });
      expect(await store.getRun(runRef("a"))).toEqual(first.run);
      // Each run's place in its project by creation, kept whatever happens to the run later.
      expect([first, second, named, otherProject].map((r) => r.run.ordinal)).toEqual([1, 2, 3, 1]);
      await store.applyBatch(
        runRef("a"),
        { run: { name: "renamed" }, exit: { exitCode: 0, runtime: 1 } },
        104,
      );
      await store.updateRun(runRef("a"), { tags: ["x"] });
      expect((await store.getRun(runRef("a")))?.ordinal).toBe(1);
    });

    it("stores the run metadata of a batch and keeps what a later batch leaves out", async () => {
      const store = await open();
      const ref = runRef("meta");
      await store.applyBatch(
        ref,
        {
          run: {
            name: "n1",
            group: "g",
            jobType: "train",
            tags: ["a", "b"],
            notes: "hello",
            config: { lr: 0.1, opt: { name: "adam" } },
            host: "box",
            program: "train.py",
            args: ["--x"],
            gitCommit: "abc123",
            startTime: 50.5,
            startingStep: 3,
          },
        },
        60,
      );
      const { run } = await store.applyBatch(
        ref,
        { run: { notes: "changed", config: { opt: { beta: 0.9 } } } },
        70,
      );
      expect(run).toMatchObject({
        name: "n1",
        group: "g",
        jobType: "train",
        tags: ["a", "b"],
        notes: "changed",
        config: { lr: 0.1, opt: { name: "adam", beta: 0.9 } },
        host: "box",
        program: "train.py",
        args: ["--x"],
        gitCommit: "abc123",
        createdAt: 50.5,
        heartbeatAt: 70,
        startingStep: 3,
      });
    });

    it("follows the lifecycle: finished, failed, killed, preempting, preempted", async () => {
      const store = await open();
      const exit = (code: number): StoreBatch => ({ exit: { exitCode: code, runtime: 5 } });
      await store.applyBatch(runRef("ok"), { run: { startTime: 100 } }, 100);
      const ok = await store.applyBatch(runRef("ok"), exit(0), 200);
      expect(ok.run).toMatchObject({ state: "finished", exitCode: 0, finishedAt: 105 });

      await store.applyBatch(runRef("bad"), {}, 100);
      expect((await store.applyBatch(runRef("bad"), exit(1), 110)).run.state).toBe("failed");

      await store.applyBatch(runRef("stopped"), {}, 100);
      await store.updateRun(runRef("stopped"), { stopRequested: true });
      expect((await store.applyBatch(runRef("stopped"), exit(255), 110)).run.state).toBe("killed");

      expect((await store.applyBatch(runRef("spot"), { preempting: true }, 100)).run.state).toBe(
        "preempting",
      );
      expect((await store.applyBatch(runRef("spot"), exit(1), 110)).run.state).toBe("preempted");
    });

    it("does not change a finished run when its final batch is re-sent, and reopens it on new data", async () => {
      const store = await open();
      const ref = runRef("resend");
      const final: StoreBatch = {
        history: { offset: 0, rows: [{ _step: 0, x: 1 }] },
        exit: { exitCode: 0, runtime: 1 },
      };
      const first = await store.applyBatch(ref, final, 10);
      const again = await store.applyBatch(ref, final, 99);
      expect(again.run.state).toBe("finished");
      expect(again.run.finishedAt).toBe(first.run.finishedAt);
      const resumed = await store.applyBatch(
        ref,
        { history: { offset: 1, rows: [{ _step: 1, x: 2 }] } },
        120,
      );
      expect(resumed.run).toMatchObject({ state: "running", exitCode: null, finishedAt: null });
    });

    it("marks silent running runs crashed and revives them on the next request", async () => {
      const store = await open();
      await store.applyBatch(runRef("silent"), {}, 100);
      await store.applyBatch(runRef("alive"), {}, 500);
      await store.applyBatch(runRef("done"), { exit: { exitCode: 0, runtime: 1 } }, 100);
      expect(await store.markStaleRunsCrashed(400)).toBe(1);
      expect((await store.getRun(runRef("silent")))?.state).toBe("crashed");
      expect((await store.getRun(runRef("alive")))?.state).toBe("running");
      expect((await store.getRun(runRef("done")))?.state).toBe("finished");
      expect(await store.markStaleRunsCrashed(400)).toBe(0);
      const revived = await store.applyBatch(runRef("silent"), {}, 600);
      expect(revived.run).toMatchObject({ state: "running", heartbeatAt: 600 });
    });

    it("updates name, tags, notes, state and stop flag, merges summary and config, refuses unknown runs", async () => {
      const store = await open();
      const ref = runRef("upd");
      await store.applyBatch(ref, { run: { config: { a: { b: 1 } } }, summary: { loss: 1, acc: 0.5 } }, 1);
      const run = await store.updateRun(ref, {
        name: "renamed",
        tags: ["x"],
        notes: "n",
        stopRequested: true,
        summary: { loss: 0.5, note: "best" },
        config: { a: { c: 2 } },
      });
      expect(run).toMatchObject({
        name: "renamed",
        tags: ["x"],
        notes: "n",
        stopRequested: true,
        summary: { loss: 0.5, acc: 0.5, note: "best" },
        config: { a: { b: 1, c: 2 } },
      });
      expect(await store.getRun(ref)).toEqual(run);
      expect((await store.updateRun(ref, { state: "finished" })).state).toBe("finished");
      await expect(store.updateRun(runRef("nope"), { name: "x" })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("answers a run's stream counts without its config and summary, null for an unknown run", async () => {
      const store = await open();
      await store.applyBatch(
        runRef("a"),
        {
          history: { offset: 0, rows: rows(0, 3, (s) => ({ loss: s })) },
          events: { offset: 0, lines: [{ _timestamp: 1, "system.cpu": 50 }] },
          console: { offset: 0, lines: ["one", "two"] },
          run: { config: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) },
        },
        1,
      );
      expect(await store.streamCounts(runRef("a"))).toEqual((await store.getRun(runRef("a")))?.offsets);
      expect(await store.streamCounts(runRef("a"))).toMatchObject({ history: 3, events: 1, console: 2 });
      expect(await store.streamCounts(runRef("nobody"))).toBeNull();
    });

    it("lists entities and projects with run counts and last activity", async () => {
      const store = await open();
      await store.applyBatch(runRef("a", "p1", "e1"), {}, 10);
      await store.applyBatch(runRef("b", "p1", "e1"), {}, 30);
      await store.applyBatch(runRef("c", "p2", "e1"), {}, 20);
      await store.applyBatch(runRef("d", "p1", "e2"), {}, 5);
      expect(await store.listEntities()).toEqual([
        { name: "e1", projects: 2, runs: 3, lastActivity: 30 },
        { name: "e2", projects: 1, runs: 1, lastActivity: 5 },
      ]);
      expect(await store.listProjects("e1")).toEqual([
        { entity: "e1", name: "p1", runs: 2, lastActivity: 30 },
        { entity: "e1", name: "p2", runs: 1, lastActivity: 20 },
      ]);
      expect(await store.listProjects("nobody")).toEqual([]);
    });
  });
}
