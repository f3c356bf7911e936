/**
 * The Store contract on the embedded SQLite store, each test on a fresh database in a fresh
 * temp directory; plus what only a file-backed store can show: data survives close and reopen
 * (a resolved applyBatch is on disk), series appends continue correctly after a reopen, the
 * instance id is made once by a migration and kept, the schema refuses a database from a newer
 * Stepwise, and every key method reports a damaged keys
 * table as STORE_CORRUPT.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { CorruptDataError, StoreCorruptError } from "@stepwise/protocol";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { SCHEMA_VERSION } from "../src/store/sqlite/schema.js";
import { expectBucketsMatchPoints, rows, runRef, scanAll } from "./store-contract/contract-setup.js";
import { storeContract } from "./store-contract/store-contract.js";
import { downgradeTo, smashRootPage } from "./store-damage.js";
import { openRemoteSqliteStore } from "./support/remote-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-store-"));
  dirs.push(dir);
  return join(dir, "stepwise.db");
}

describe("SqliteStore", () => {
  storeContract(() => openSqliteStore(tempDbPath()), {
    // This process and another one (the built store): two connections that really overlap.
    openPair: async () => {
      const path = tempDbPath();
      const here = await openSqliteStore(path);
      return [here, await openRemoteSqliteStore(path)];
    },
  });

  it("keeps everything an acknowledged batch carried across close and reopen", async () => {
    const path = tempDbPath();
    const ref = runRef("durable");
    const first = await openSqliteStore(path);
    const { run } = await first.applyBatch(
      ref,
      { run: { name: "kept" }, history: { offset: 0, rows: rows(0, 3000, (s) => ({ y: s })) } },
      5,
    );
    await first.close();
    const second = await openSqliteStore(path);
    expect(await second.getRun(ref)).toEqual(run);
    expect(await scanAll(second, ref)).toHaveLength(3000);
    await second.close();
  });

  it("continues series correctly after a reopen (the in-memory tail is rebuilt from rows)", async () => {
    const path = tempDbPath();
    const ref = runRef("reopen");
    const ys = Array.from({ length: 20_000 }, (_, i) => Math.cos(i / 300) * (i % 1000 === 0 ? 100 : 1));
    let offset = 0;
    for (const size of [17, 1000, 7, 4096, 3000, 1, 8191, 3688]) {
      const store = await openSqliteStore(path);
      await store.applyBatch(
        ref,
        { history: { offset, rows: rows(offset, size, (s) => ({ y: ys[s] })) } },
        1,
      );
      offset += size;
      await store.close();
    }
    expect(offset).toBe(ys.length);
    const store = await openSqliteStore(path);
    const xs = ys.map((_, i) => i);
    for (const buckets of [1000, 100, 3]) {
      const [result] = await store.querySeries({ runs: [ref], keys: ["y"], xAxis: "_step", buckets });
      expect(result?.x).toHaveLength(buckets);
      expectBucketsMatchPoints(result!, xs, ys, 0);
    }
    await store.close();
  });

  it("numbers the runs of a database from before run ordinals by creation, per project", async () => {
    const path = tempDbPath();
    const store = await openSqliteStore(path);
    for (const [runId, project] of [
      ["a", "p"],
      ["b", "q"],
      ["c", "p"],
    ] as const)
      await store.applyBatch({ entity: "e", project, runId }, {}, 1);
    await store.close();
    downgradeTo(path, 2); // no ordinal column
    const migrated = await openSqliteStore(path);
    const ordinal = async (project: string, runId: string): Promise<number | undefined> =>
      (await migrated.getRun({ entity: "e", project, runId }))?.ordinal;
    expect([await ordinal("p", "a"), await ordinal("q", "b"), await ordinal("p", "c")]).toEqual([1, 1, 2]);
    await migrated.close();
  });

  it("makes its instance id once (migration 6), and keeps the one a store had before that migration", async () => {
    const path = tempDbPath();
    const idOf = async (): Promise<string> => {
      const store = await openSqliteStore(path);
      await store.close();
      return store.instanceId;
    };
    const id = await idOf();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await idOf()).toBe(id);
    // A store of schema 5 whose id an older server made outside the migrations: kept.
    downgradeTo(path, 5);
    expect(await idOf()).toBe(id);
    const db = new Database(path);
    expect(db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({
      v: SCHEMA_VERSION,
    });
    // A store of schema 5 that never had one gets a new one, kept from then on.
    db.prepare("DELETE FROM schema_migrations WHERE version > 5").run();
    db.exec("DROP TABLE server_instance");
    db.close();
    const made = await idOf();
    expect(made).not.toBe(id);
    expect(await idOf()).toBe(made);
  });

  it("refuses a database written by a newer schema", async () => {
    const path = tempDbPath();
    await (await openSqliteStore(path)).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)").run();
    db.close();
    await expect(openSqliteStore(path)).rejects.toBeInstanceOf(CorruptDataError);
  });

  it("reports a damaged keys table as STORE_CORRUPT from every key method, not as SQLite's error", async () => {
    const path = tempDbPath();
    const store = await openSqliteStore(path);
    for (const id of ["a", "b"])
      await store.createApiKey(
        { id, name: id, entity: "e", admin: true, createdAt: 1, lastUsedAt: null },
        `hash-${id}`,
      );
    await store.close();
    smashRootPage(path, "api_keys");
    const damaged = await openSqliteStore(path, { quickCheck: false });
    try {
      for (const call of [
        () => damaged.listApiKeys(),
        () => damaged.revokeApiKey("a"),
        () => damaged.findApiKeyByHash("hash-b"),
      ]) {
        const error: unknown = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreCorruptError);
        expect((error as StoreCorruptError).message).toContain(path);
      }
    } finally {
      await damaged.close();
    }
  });
});
