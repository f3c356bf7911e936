/**
 * Periodic jobs on several servers sharing one PostgreSQL database (fleet/fleet-lock.ts,
 * store/postgres/pg-fleet-lock.ts), against a real PostgreSQL: a job one server runs is skipped
 * by the others, not queued; a job with an interval runs once per interval across them; the
 * lead of a loop passes to another server when the leader's connection dies. And two API
 * servers sweeping stale runs at once mark each run crashed exactly once between them.
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiPaths, parseExtended, runDtoSchema, type RunRef } from "@stepwise/protocol";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { PgFleetLock } from "../src/store/postgres/pg-fleet-lock.js";
import { loadConfig, startServer, type RunningServer } from "../src/index.js";
import { historyBatch } from "./http-harness.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let postgres: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
}, 60_000);

/** A fresh database with Stepwise's schema. */
async function database(): Promise<string> {
  const url = await (postgres as PostgresProcess).createDatabase();
  await (await openPostgresStore(url, { poolSize: 1 })).close();
  return url;
}

/** A job that records its run. */
const record = (ran: string[], name: string) => (): Promise<void> => {
  ran.push(name);
  return Promise.resolve();
};

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(missing !== null)(
  `fleet jobs on PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("skips a job another server is running, and runs it once that one is done", async () => {
      const url = await database();
      const a = new PgFleetLock(url, () => undefined);
      const b = new PgFleetLock(url, () => undefined);
      try {
        let release = (): void => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        const ran: string[] = [];
        const onA = a.runExclusive("blob-gc", async () => {
          ran.push("a");
          await held;
        });
        await until(() => Promise.resolve(ran.length === 1), "server A's collection to start");
        expect(await b.runExclusive("blob-gc", record(ran, "b"))).toBe(false);
        expect(await a.runExclusive("blob-gc", record(ran, "a again"))).toBe(false);
        // Another job is not held by it.
        expect(await b.runExclusive("stale-run-sweep", record(ran, "b sweep"))).toBe(true);
        release();
        expect(await onA).toBe(true);
        expect(await b.runExclusive("blob-gc", record(ran, "b"))).toBe(true);
        expect(ran).toEqual(["a", "b sweep", "b"]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("runs several jobs of one server at once, their lock queries taking turns on its connection", async () => {
      const url = await database();
      const lock = new PgFleetLock(url, () => undefined);
      const warnings: string[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning.message);
      process.on("warning", onWarning);
      try {
        const jobs = ["blob-gc", "stale-run-sweep", "artifact-retention", "history-compaction"] as const;
        const ran: string[] = [];
        for (let round = 0; round < 3; round++)
          expect(await Promise.all(jobs.map((job) => lock.runExclusive(job, record(ran, job))))).toEqual(
            jobs.map(() => true),
          );
        expect(ran.sort()).toEqual(jobs.flatMap((job) => [job, job, job]).sort());
        expect(await lock.lead("alert-delivery")).toBe(true);
        // pg queues a query sent while another runs only with a deprecation warning (gone in pg 9).
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((message) => message.includes("already executing a query"))).toEqual([]);
      } finally {
        process.off("warning", onWarning);
        await lock.close();
      }
    });

    it("runs a job with an interval once per interval across servers, and records where", async () => {
      const url = await database();
      const servers = [0, 1, 2].map(() => new PgFleetLock(url, () => undefined));
      try {
        let runs = 0;
        const job = (): Promise<void> => Promise.resolve(void runs++);
        const first = await Promise.all(servers.map((s) => s.runExclusive("artifact-retention", job, 3600)));
        const second = await Promise.all(servers.map((s) => s.runExclusive("artifact-retention", job, 3600)));
        expect(runs).toBe(1);
        expect([...first, ...second].filter(Boolean)).toHaveLength(1);
        // Once the interval has passed (0 s here), the next server to ask runs it.
        expect(await (servers[2] as PgFleetLock).runExclusive("artifact-retention", job, 0)).toBe(true);
        expect(runs).toBe(2);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ job: string; server: string; done: boolean }>(
            "SELECT job, server, finished_at >= started_at AS done FROM fleet_jobs",
          );
          expect(rows).toEqual([
            { job: "artifact-retention", server: `${hostname()}:${process.pid}`, done: true },
          ]);
        } finally {
          await client.end();
        }
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });

    it("passes the lead to another server when the leader's database connection dies", async () => {
      const url = await database();
      const a = new PgFleetLock(url, () => undefined);
      const b = new PgFleetLock(url, () => undefined);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        expect(await a.lead("alert-delivery")).toBe(true);
        expect(await b.lead("alert-delivery")).toBe(false);
        expect(await a.lead("alert-delivery")).toBe(true);
        // The leader's lock connection is cut (a crashed server, a network cut).
        const { rows } = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted",
        );
        expect(rows).toHaveLength(1);
        await admin.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
        await until(() => b.lead("alert-delivery"), "server B to take the lead");
        await until(async () => !(await a.lead("alert-delivery")), "server A to see it lost the lead");
      } finally {
        await admin.end();
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("marks each stale run crashed once when two servers sweep at once", async () => {
      const url = await database();
      const dataDir = await mkdtemp(join(tmpdir(), "stepwise-fleet-sweep-"));
      // One clock for both servers, moved by the test: every run goes silent at the same moment.
      let clock = 1_000_000;
      const logs: string[] = [];
      const start = (): Promise<RunningServer> =>
        startServer(loadConfig({ port: 0, data: dataDir, database: url, crashTimeoutS: 1 }, {}), {
          log: (line) => logs.push(line),
          now: () => clock,
        });
      const a = await start();
      const b = await start();
      try {
        const refs: RunRef[] = Array.from({ length: 8 }, (_, i) => ({
          entity: "local",
          project: "sweep",
          runId: `run-${i}`,
        }));
        for (const [i, ref] of refs.entries()) {
          const response = await fetch((i % 2 === 0 ? a : b).url + apiPaths.ingest(ref), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(historyBatch(0, 5)),
          });
          expect(response.status).toBe(200);
        }
        clock += 2; // past the 1 s crash timeout; each server sweeps every 250 ms
        const state = async (ref: RunRef): Promise<string> =>
          runDtoSchema.parse(parseExtended(await (await fetch(b.url + apiPaths.run(ref))).text())).state;
        await until(
          async () => (await Promise.all(refs.map(state))).every((s) => s === "crashed"),
          "every run crashed",
        );
        await new Promise((resolve) => setTimeout(resolve, 600)); // more sweeps on both servers
        // One sweep took all eight at once; no other sweep counted any of them again.
        expect(logs.filter((line) => line.startsWith("marked "))).toEqual([
          "marked 8 run(s) crashed after 1 s without traffic",
        ]);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  },
);
