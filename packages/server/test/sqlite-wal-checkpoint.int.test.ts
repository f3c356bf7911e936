/**
 * The SQLite store's WAL checkpointer thread (store/sqlite/wal-checkpointer.ts): ingested pages
 * reach the database file while the WAL is far below the writer's 64 MiB auto-checkpoint (so
 * the thread, not a commit, copied them), the -wal file is emptied once the store is idle, the
 * rows read back are the rows written, closing stops the thread (no thread left behind, the
 * -wal file removed as before), and a server process SIGKILLed mid-ingest keeps every batch it
 * acknowledged.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiPaths, type HistoryRow } from "@stepwise/protocol";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { rows, runRef, scanAll } from "./store-contract/contract-setup.js";
import { startServerProcess } from "./support/server-process.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-wal-"));
  dirs.push(dir);
  return dir;
}
const values = (step: number): Record<string, unknown> => ({ loss: step / 4, acc: step % 7, lr: 0.5 });
const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);
const threads = (): number => readdirSync("/proc/self/task").length;

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the SQLite WAL checkpointer", () => {
  it("checkpoints ingest off the commit path, empties the WAL when idle, and reads back every row", async () => {
    const path = join(tempDir(), "stepwise.db");
    const store = await openSqliteStore(path, {
      checkpoint: { pollMs: 20, maxDelayMs: 100, idleTruncateMs: 300 },
    });
    const ref = runRef("wal");
    const written: HistoryRow[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const chunk = rows(batch * 2000, 2000, values);
      const result = await store.applyBatch(ref, { history: { offset: batch * 2000, rows: chunk } }, 1);
      expect(result.gap).toBeNull();
      written.push(...chunk);
    }
    const walAfterIngest = sizeOf(`${path}-wal`);
    expect(walAfterIngest).toBeLessThan(64 * 1024 * 1024);
    // Without the thread the pages stay in the WAL until it reaches 64 MiB (or the store closes).
    await until(() => sizeOf(path) >= 1024 * 1024, "the database file holds the ingested pages");
    await until(() => sizeOf(`${path}-wal`) === 0, "the idle store's WAL is truncated");
    expect((await scanAll(store, ref)).map((text) => JSON.parse(text) as unknown)).toEqual(written);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("stops its thread at close: opening and closing stores leaves no thread behind", async () => {
    const dir = tempDir();
    await (await openSqliteStore(join(dir, "warm.db"))).close();
    const before = threads();
    const open = await openSqliteStore(join(dir, "one.db"));
    expect(threads()).toBeGreaterThan(before);
    await open.close();
    for (let i = 0; i < 10; i++) await (await openSqliteStore(join(dir, `s${i}.db`))).close();
    expect(threads()).toBeLessThanOrEqual(before);
  });

  it("keeps every acknowledged batch when the server process is SIGKILLed mid-ingest", async () => {
    const dataDir = tempDir();
    const server = await startServerProcess(dataDir);
    const ref = runRef("killed");
    const sent: HistoryRow[] = [];
    let acknowledged = 0;
    const ingesting = (async () => {
      for (let batch = 0; ; batch++) {
        const chunk = rows(batch * 1000, 1000, values);
        sent.push(...chunk);
        const response = await fetch(server.url + apiPaths.ingest(ref), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ history: { offset: batch * 1000, rows: chunk } }),
        });
        expect(response.status).toBe(200);
        acknowledged = sent.length;
      }
    })().catch(() => undefined); // ends when the killed server drops the request in flight
    await until(() => acknowledged >= 30_000, "30,000 rows are acknowledged", 60_000);
    await server.stop("SIGKILL");
    await ingesting;

    const store = await openSqliteStore(join(dataDir, "stepwise.db"));
    try {
      const stored = (await scanAll(store, ref)).map((text) => JSON.parse(text) as unknown);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
      expect(stored).toEqual(sent.slice(0, stored.length));
    } finally {
      await store.close();
    }
  });
});
