/**
 * Store contract, alerts (Store.alerts): the `alert` meta records of a batch are kept with it —
 * once, however often the batch is re-sent, and not at all when it is refused for a gap — late
 * when replayed or received long after they were raised; each alert is handed out once, with a
 * delivery per destination whose levels include it; due deliveries are answered until a try
 * ends them, and every try is logged in order.
 */
import { describe, expect, it } from "vitest";
import type { AlertLevel, AlertRecord } from "@stepwise/protocol";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

function alert(title: string, time: number, step: number, level: AlertLevel = "INFO"): AlertRecord {
  return { t: "alert", title, text: `${title} text`, level, time, step };
}

export function alertsContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("alerts", () => {
    it("keeps a batch's alerts once: none for a re-send or a gap; late when replayed or received late", async () => {
      const store = await open();
      const ref = runRef("r1");
      const records = [alert("fresh", 1000, 3, "WARN"), { t: "config" as const, update: { lr: 1 } }];
      const first = { meta: { offset: 0, records: [...records, alert("old", 400, 4, "ERROR")] } };
      await store.applyBatch(ref, first, 1000);
      await store.applyBatch(ref, first, 1001);
      const gap = await store.applyBatch(
        ref,
        { meta: { offset: 9, records: [alert("lost", 1000, 9)] } },
        1002,
      );
      expect(gap.gap).not.toBeNull();
      await store.applyBatch(
        ref,
        { meta: { offset: 3, records: [alert("synced", 1000, 5)] }, replay: true },
        1003,
      );
      await store.applyBatch(
        runRef("r2", "quiet"),
        { meta: { offset: 0, records: [alert("elsewhere", 1004, 0)] } },
        1004,
      );

      const run = await store.alerts.listAlerts({ run: ref, limit: 100 });
      expect(run.map((a) => [a.title, a.text, a.level, a.step, a.time, a.receivedAt, a.late])).toEqual([
        ["synced", "synced text", "INFO", 5, 1000, 1003, true],
        ["old", "old text", "ERROR", 4, 400, 1000, true],
        ["fresh", "fresh text", "WARN", 3, 1000, 1000, false],
      ]);
      expect(run.map((a) => [a.entity, a.project, a.runId, a.delivery, a.attempts])).toEqual(
        Array.from({ length: 3 }, () => ["team", "proj", "r1", "pending", []]),
      );
      const quiet = await store.alerts.listAlerts({ entity: "team", project: "quiet", limit: 100 });
      expect(quiet.map((a) => a.title)).toEqual(["elsewhere"]);
      expect((await store.alerts.listAlerts({ limit: 2 })).map((a) => a.title)).toEqual([
        "elsewhere",
        "synced",
      ]);
    });

    it("hands each alert out once per matching destination, answers due tries and logs each", async () => {
      const store = await open();
      const ref = runRef("r1");
      const records = [alert("a", 10, 1, "INFO"), alert("b", 10, 2, "ERROR"), alert("c", 10, 3, "WARN")];
      await store.applyBatch(ref, { meta: { offset: 0, records } }, 10);
      const destinations = [
        { name: "all", levels: ["INFO", "ERROR"] as AlertLevel[] },
        { name: "errors", levels: ["ERROR"] as AlertLevel[] },
      ];
      expect(await store.alerts.dispatchNew(destinations, 100)).toBe(3);
      expect(await store.alerts.dispatchNew(destinations, 100)).toBe(0);
      expect(await store.alerts.dueDeliveries(99, 10)).toEqual([]);
      const due = async (now: number) =>
        (await store.alerts.dueDeliveries(now, 10))
          .map((d) => `${d.title}→${d.destination}#${d.attempts}`)
          .sort();
      expect(await due(100)).toEqual(["a→all#0", "b→all#0", "b→errors#0"]);
      const [one] = await store.alerts.dueDeliveries(100, 1);
      expect(one).toMatchObject({
        entity: "team",
        project: "proj",
        runId: "r1",
        step: 1,
        time: 10,
        late: false,
      });
      const ids = new Map(
        (await store.alerts.listAlerts({ run: ref, limit: 10 })).map((a) => [a.title, a.id]),
      );
      const id = (title: string): number => ids.get(title) as number;
      const ok = { at: 101, ok: true, status: 200, error: null, ms: 5 };
      const failed = (at: number) => ({ at, ok: false, status: 500, error: "HTTP 500", ms: 7 });
      await store.alerts.recordAttempt(id("a"), "all", ok, null);
      await store.alerts.recordAttempt(id("b"), "all", failed(102), 110);
      // Not due again before its next try; answered again (not yet tried) until a try is logged.
      expect(await due(105)).toEqual(["b→errors#0"]);
      expect(await due(105)).toEqual(["b→errors#0"]);
      await store.alerts.recordAttempt(id("b"), "errors", { ...ok, at: 106 }, null);
      expect(await due(110)).toEqual(["b→all#1"]);
      await store.alerts.recordAttempt(id("b"), "all", failed(111), null);
      expect(await due(1000)).toEqual([]);

      const listed = await store.alerts.listAlerts({ run: ref, limit: 10 });
      expect(listed.map((a) => [a.title, a.delivery])).toEqual([
        ["c", "none"],
        ["b", "failed"],
        ["a", "delivered"],
      ]);
      expect(listed[1]?.attempts).toEqual([
        { destination: "all", attempt: 1, ...failed(102) },
        { destination: "errors", attempt: 1, ...ok, at: 106 },
        { destination: "all", attempt: 2, ...failed(111) },
      ]);
      expect(listed[2]?.attempts).toEqual([{ destination: "all", attempt: 1, ...ok }]);
    });
  });
}
