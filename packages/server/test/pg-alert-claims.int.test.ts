/**
 * Alert delivery with several servers on one PostgreSQL (what SQLite's single writer never
 * meets): two stores on one database asking for due deliveries at once get each one once;
 * a delivery stays with the server that claimed it until its try is logged, and then the other
 * never tries it again; a server that closes (or dies) gives its claims back at once.
 * Real PostgreSQL (support/postgres-process.ts); skipped only where its binaries are absent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertRecord } from "@stepwise/protocol";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import type { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { runRef } from "./store-contract/contract-setup.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;

beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const DESTINATIONS = [{ name: "hook", levels: ["INFO" as const] }];

function alerts(n: number): AlertRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    t: "alert" as const,
    title: `a${i}`,
    text: "",
    level: "INFO" as const,
    time: 10,
    step: i,
  }));
}

async function twoServers(count: number): Promise<[PostgresStore, PostgresStore]> {
  if (server === null) throw new Error("the PostgreSQL server did not start");
  const url = await server.createDatabase();
  const first = await openPostgresStore(url);
  const second = await openPostgresStore(url);
  await first.applyBatch(runRef("r"), { meta: { offset: 0, records: alerts(count) } }, 10);
  return [first, second];
}

const names = (due: Array<{ title: string }>): string[] => due.map((d) => d.title).sort();

describe.skipIf(missing !== null)(
  `alert delivery claims on PostgreSQL${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("hands each due delivery to one of two servers asking at once", async () => {
      const [a, b] = await twoServers(40);
      try {
        const dispatched = await Promise.all([
          a.alerts.dispatchNew(DESTINATIONS, 100),
          b.alerts.dispatchNew(DESTINATIONS, 100),
        ]);
        expect(dispatched[0] + dispatched[1]).toBe(40);
        const [fromA, fromB] = await Promise.all([
          a.alerts.dueDeliveries(100, 40),
          b.alerts.dueDeliveries(100, 40),
        ]);
        // 40 answers in all, each alert among them: none went to both.
        expect(names([...fromA, ...fromB])).toEqual(names(alerts(40)));
        // Asked again, each server gets back only what it holds.
        expect(names(await a.alerts.dueDeliveries(100, 40))).toEqual(names(fromA));
        expect(names(await b.alerts.dueDeliveries(100, 40))).toEqual(names(fromB));
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("keeps a claimed delivery from the other server until its try is logged, then never repeats it", async () => {
      const [a, b] = await twoServers(2);
      try {
        await a.alerts.dispatchNew(DESTINATIONS, 100);
        const claimed = await a.alerts.dueDeliveries(100, 10);
        expect(names(claimed)).toEqual(["a0", "a1"]);
        expect(await b.alerts.dueDeliveries(100, 10)).toEqual([]);
        const [first, second] = claimed as [(typeof claimed)[0], (typeof claimed)[0]];
        await a.alerts.recordAttempt(
          first.alertId,
          "hook",
          { at: 101, ok: true, status: 200, error: null, ms: 1 },
          null,
        );
        await a.alerts.recordAttempt(
          second.alertId,
          "hook",
          { at: 101, ok: false, status: 500, error: "HTTP 500", ms: 1 },
          105,
        );
        // Delivered: never again; retried later: due to whoever asks first once its time comes.
        expect(await b.alerts.dueDeliveries(104, 10)).toEqual([]);
        const retry = await b.alerts.dueDeliveries(105, 10);
        expect(retry.map((d) => [d.title, d.attempts])).toEqual([[second.title, 1]]);
        expect(await a.alerts.dueDeliveries(105, 10)).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("gives a closing server's claims to the other at once", async () => {
      const [a, b] = await twoServers(3);
      try {
        await a.alerts.dispatchNew(DESTINATIONS, 100);
        expect(names(await a.alerts.dueDeliveries(100, 10))).toEqual(["a0", "a1", "a2"]);
        expect(await b.alerts.dueDeliveries(100, 10)).toEqual([]);
        await a.close();
        expect(names(await b.alerts.dueDeliveries(100, 10))).toEqual(["a0", "a1", "a2"]);
      } finally {
        await b.close();
      }
    });
  },
);
