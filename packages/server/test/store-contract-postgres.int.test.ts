/**
 * The Store contract on the PostgreSQL store, against a real PostgreSQL 15 server started for
 * this file (support/postgres-process.ts), each test on a fresh, empty database; plus what only
 * this store shows: its migrations run on an empty database, on one of the previous schema (its
 * runs kept), once when two servers start together, and it refuses a database a newer Stepwise
 * migrated. Skipped as a whole only where the PostgreSQL
 * server binaries are absent (the reason is printed).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptDataError, InvalidDataError } from "@stepwise/protocol";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { openPool } from "../src/store/postgres/pg-database.js";
import { insertRun } from "../src/store/postgres/pg-run-table.js";
import { migrate, PG_SCHEMA_VERSION } from "../src/store/postgres/pg-schema.js";
import { blankRun } from "../src/domain/blank-run.js";
import { rows, runRef } from "./store-contract/contract-setup.js";
import { storeContract } from "./store-contract/store-contract.js";
import { POSTGRES_NOT_BUILT } from "./store-contract-postgres-skips.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;

beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

function running(): PostgresProcess {
  if (server === null) throw new Error("the PostgreSQL server did not start");
  return server;
}

describe.skipIf(missing !== null)(`PostgresStore${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  storeContract(async () => openPostgresStore(await running().createDatabase()), {
    // Two pools on one database: two connections that really overlap, as two API servers.
    openPair: async () => {
      const url = await running().createDatabase();
      const first = await openPostgresStore(url);
      return [first, await openPostgresStore(url)];
    },
    skip: POSTGRES_NOT_BUILT,
  });

  it("migrates an empty database once, and opens a migrated one without migrating again", async () => {
    const url = await running().createDatabase();
    await (await openPostgresStore(url)).close();
    const store = await openPostgresStore(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
      const again = await openPostgresStore(url);
      expect(again.instanceId).toBe(store.instanceId);
      await again.close();
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("keeps quotes, backslashes and other scripts in run metadata exactly (the run row goes with COMMIT as literals)", async () => {
    const store = await openPostgresStore(await running().createDatabase());
    try {
      const odd = `it's \\ "q" \\' E'x' $$ ü 日本 😀`;
      const batch = { run: { name: odd, notes: odd, tags: [odd], config: { [odd]: odd, nan: Number.NaN } } };
      await store.applyBatch(runRef("odd"), batch, 1); // a new run: the INSERT goes with COMMIT
      await store.applyBatch(runRef("odd"), { ...batch, summary: { [odd]: odd } }, 2); // the UPDATE does
      const run = await store.getRun(runRef("odd"));
      expect(run).toMatchObject({ name: odd, notes: odd, tags: [odd], summary: { [odd]: odd } });
      expect(run?.config[odd]).toBe(odd);
      expect(run?.config.nan).toBeNaN();
    } finally {
      await store.close();
    }
  });

  it("reads a numeric series' points as logged, across chunks; null for an unknown run or key", async () => {
    const store = await openPostgresStore(await running().createDatabase());
    try {
      const ys = Array.from({ length: 2500 }, (_, i) => (i === 7 ? Number.NaN : Math.sin(i)));
      await store.applyBatch(
        runRef("p"),
        { history: { offset: 0, rows: rows(0, 2500, (s) => ({ y: ys[s] })) } },
        1,
      );
      const points = await store.structured.readSeriesPoints(runRef("p"), "y");
      expect([...(points?.steps ?? [])]).toEqual(ys.map((_, i) => i));
      expect([...(points?.values ?? [])]).toEqual(ys);
      expect(await store.structured.readSeriesPoints(runRef("p"), "nope")).toBeNull();
      expect(await store.structured.readSeriesPoints(runRef("nope"), "y")).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("upgrades a database of schema 1 with its runs: batches continue them, a new run is numbered after", async () => {
    const url = await running().createDatabase();
    const pool = openPool(url, 1);
    try {
      await migrate(pool, url, 1);
      const old = { ...blankRun(runRef("old"), 5), name: "kept", ordinal: 1 };
      await insertRun(pool, { ...old, offsets: { ...old.offsets, events: 1 } });
    } finally {
      await pool.end();
    }
    const store = await openPostgresStore(url);
    try {
      expect(await store.getRun(runRef("old"))).toMatchObject({ name: "kept", ordinal: 1 });
      const more = await store.applyBatch(runRef("old"), { events: { offset: 1, lines: [{ a: 1 }] } }, 6);
      expect(more.run.offsets.events).toBe(2);
      const added = await store.applyBatch(runRef("new"), {}, 7);
      expect(added.run.ordinal).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("holds at most the run file limit per run, counting the files a schema-2 database already had", async () => {
    const url = await running().createDatabase();
    const file = (path: string) => ({
      path,
      size: 1,
      sha256: "a".repeat(64),
      contentType: "text/plain",
      updatedAt: 1,
    });
    const pool = openPool(url, 1);
    try {
      await migrate(pool, url, 2);
      for (const path of ["a", "b"])
        await pool.query(
          `INSERT INTO run_files (entity, project, run_id, path, size, sha256, content_type, updated_at)
           VALUES ('team', 'proj', 'files', $1, 1, $2, 'text/plain', 1)`,
          [path, "a".repeat(64)],
        );
    } finally {
      await pool.end();
    }
    const store = await openPostgresStore(url, { maxRunFiles: 3 });
    try {
      await store.putFile(runRef("files"), file("c"));
      await store.putFile(runRef("files"), file("a")); // a replacement always may
      await expect(store.putFile(runRef("files"), file("d"))).rejects.toBeInstanceOf(InvalidDataError);
      await store.putFile(runRef("other"), file("d"));
      expect((await store.listFiles(runRef("files"))).map((f) => f.path)).toEqual(["a", "b", "c"]);
    } finally {
      await store.close();
    }
  });

  it("migrates once when two servers open an empty database at the same time", async () => {
    const url = await running().createDatabase();
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    expect(a.instanceId).toBe(b.instanceId);
    await Promise.all([a.close(), b.close()]);
  });

  it("refuses a database written by a newer schema", async () => {
    const url = await running().createDatabase();
    await (await openPostgresStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");
    await client.end();
    await expect(openPostgresStore(url)).rejects.toBeInstanceOf(CorruptDataError);
  });
});
