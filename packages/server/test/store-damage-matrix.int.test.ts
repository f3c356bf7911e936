/**
 * More of the store corruption matrix, on real SQLite files: rows that went missing (a deleted
 * history block, series chunk or rollup block) and a series whose stored point count was changed
 * are reported as STORE_CORRUPT on read and by the check, never read as a shorter run; an
 * overlapping history block is one clear message on read and in the check; and bits flipped at
 * random places of the database file never make a read return values other than the logged
 * ones: each read gives the logged values or a typed error, and then the check finds it. Bits
 * flipped inside one run's values leave the other runs reading exactly as logged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { StoreCorruptError, stringifyExtended, type HistoryRow, type RunRef } from "@stepwise/protocol";
import { checkStore } from "../src/store-check.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { scanAll } from "./store-contract/contract-setup.js";
import { flipBitsInValuesOf, moveHistoryBlock, random } from "./store-damage.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDataDir(): { dataDir: string; db: string } {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-matrix-"));
  dirs.push(dataDir);
  return { dataDir, db: join(dataDir, "stepwise.db") };
}

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });
const RUNS = ["a", "b", "c"].map(ref);
const KEYS = ["loss", "acc"];
const rowsOf = (run: number, count: number): HistoryRow[] =>
  Array.from({ length: count }, (_, step) => ({
    _step: step,
    loss: 100 * run + step + Math.sin(step) / 9,
    acc: step / count + Math.cos(step * run) / 1e5,
    note: `run ${run} step ${step}`,
  }));

/** Three runs of 4,000 rows, each sent as four 1,000-row batches; returns what each logged. */
async function logRuns(db: string): Promise<HistoryRow[][]> {
  const store = await openSqliteStore(db);
  const logged = RUNS.map((_, i) => rowsOf(i + 1, 4000));
  for (const [i, run] of RUNS.entries())
    for (let offset = 0; offset < 4000; offset += 1000)
      await store.applyBatch(
        run,
        { history: { offset, rows: logged[i]?.slice(offset, offset + 1000) ?? [] } },
        1,
      );
  await store.close();
  return logged;
}

function sql(db: string, statement: string, ...params: unknown[]): void {
  const conn = new Database(db);
  try {
    conn.prepare(statement).run(...params);
  } finally {
    conn.close();
  }
}

async function exact(store: Store, run: RunRef, key: string): Promise<unknown[] | undefined> {
  const [result] = await store.querySeries({ runs: [run], keys: [key], xAxis: "_step", buckets: 10_000 });
  return result?.last;
}

/** Every read of every run: the logged values, or STORE_CORRUPT. Returns the runs refused. */
async function readsAreLoggedOrRefused(store: Store, logged: HistoryRow[][]): Promise<Set<string>> {
  const refused = new Set<string>();
  const check = async (read: () => Promise<unknown>, expected: unknown): Promise<void> => {
    try {
      expect(await read()).toEqual(expected);
    } catch (error) {
      if (!(error instanceof StoreCorruptError)) throw error;
      refused.add(error.details.run ?? "the database");
    }
  };
  for (const [i, run] of RUNS.entries()) {
    const rows = logged[i] ?? [];
    await check(
      () => scanAll(store, run),
      rows.map((row) => stringifyExtended(row)),
    );
    for (const key of KEYS)
      await check(
        () => exact(store, run, key),
        rows.map((row) => row[key]),
      );
  }
  return refused;
}

describe("missing rows and changed counts", () => {
  it("reports a deleted history block, series chunk or rollup block, and a shortened series, as damage", async () => {
    const { dataDir, db } = tempDataDir();
    const logged = await logRuns(db);
    sql(db, "DELETE FROM history_blocks WHERE run_pk = 1 AND first_index = 2000");
    sql(
      db,
      "DELETE FROM series_chunks WHERE series_id = (SELECT id FROM series WHERE run_pk = 2 AND key = 'loss') AND chunk_index = 1",
    );
    sql(
      db,
      "DELETE FROM series_rollups WHERE series_id = (SELECT id FROM series WHERE run_pk = 2 AND key = 'acc') AND level = 1 AND block_index = 2",
    );
    sql(db, "UPDATE series SET point_count = 3500 WHERE run_pk = 3 AND key = 'acc'");

    const store = await openSqliteStore(db);
    try {
      const failure = async (read: Promise<unknown>): Promise<Record<string, unknown>> => {
        const error: unknown = await read.then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StoreCorruptError);
        return (error as StoreCorruptError).details;
      };
      expect(await failure(scanAll(store, ref("a")))).toMatchObject({
        run: "e/p/a",
        where: "history rows 2000–2999",
      });
      expect(await failure(exact(store, ref("b"), "loss"))).toMatchObject({
        run: "e/p/b",
        where: "series 'loss', points 1024–2047",
      });
      const rollup = store.querySeries({ runs: [ref("b")], keys: ["acc"], xAxis: "_step", buckets: 100 });
      expect(await failure(rollup)).toMatchObject({
        run: "e/p/b",
        where: "series 'acc', rollup level 1 block 2",
      });
      expect(await failure(exact(store, ref("c"), "acc"))).toMatchObject({
        run: "e/p/c",
        item: "series chunk",
      });
      // What is whole reads as logged.
      expect(await exact(store, ref("b"), "acc")).toEqual(logged[1]?.map((row) => row.acc));
      expect(await exact(store, ref("c"), "loss")).toEqual(logged[2]?.map((row) => row.loss));
    } finally {
      await store.close();
    }
    const report = await checkStore(dataDir);
    expect(
      report.damaged.map(({ run, item, where, problem }) => `${run} ${item} ${where} ${problem}`),
    ).toEqual([
      "e/p/a history block history rows 2000–2999 missing",
      "e/p/b series rollup series 'acc', rollup level 1 block 2 missing",
      "e/p/b series chunk series 'loss', points 1024–2047 missing",
      "e/p/c series chunk series 'acc', points 3072–3999 point count 928, the series' count gives 428",
    ]);
  });
});

describe("overlapping history blocks", () => {
  it("are refused on read and listed by the check, with the same message", async () => {
    const { dataDir, db } = tempDataDir();
    const logged = await logRuns(db);
    // Rows 2000–2999 now claim to be rows 1500–2499: 1500–1999 twice, 2500–2999 nowhere.
    moveHistoryBlock(db, ref("a"), 2000, 1500);
    const overlap = "overlaps the block before it (rows 1500–1999 are stored twice)";
    const store = await openSqliteStore(db);
    try {
      const error: unknown = await scanAll(store, ref("a")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as StoreCorruptError).details).toMatchObject({
        run: "e/p/a",
        where: "history rows 1500–2499",
      });
      expect((error as StoreCorruptError).message).toContain(overlap);
      expect(await scanAll(store, ref("b"))).toEqual(logged[1]?.map((row) => stringifyExtended(row)));
    } finally {
      await store.close();
    }
    const report = await checkStore(dataDir);
    expect(report.damaged.map(({ run, where, problem }) => `${run} ${where} ${problem}`)).toEqual([
      `e/p/a history rows 1500–2499 ${overlap}`,
      "e/p/a history rows 2500–2999 missing",
    ]);
  });
});

describe("a sound store", () => {
  it("checks clean after series grew in odd batch sizes over reopens (no false alarms)", async () => {
    const { dataDir, db } = tempDataDir();
    const rows = rowsOf(1, 20_500);
    let offset = 0;
    for (const size of [17, 1000, 7, 4096, 3000, 1, 8191, 3688, 500]) {
      const store = await openSqliteStore(db);
      await store.applyBatch(
        ref("grown"),
        { history: { offset, rows: rows.slice(offset, offset + size) } },
        1,
      );
      offset += size;
      await store.close();
    }
    const report = await checkStore(dataDir);
    expect({ ok: report.ok, damaged: report.damaged }).toEqual({ ok: true, damaged: [] });
    expect(report.checked).toMatchObject({ runs: 1, seriesChunks: 2 * 21 });
    expect(report.checked.seriesRollups).toBeGreaterThan(2 * 6);
    const store = await openSqliteStore(db);
    try {
      for (const [xMin, xMax] of [
        [0, 6999],
        [7000, 13_999],
        [14_000, 20_499],
      ] as const) {
        const query = { runs: [ref("grown")], keys: ["loss"], xAxis: "_step", xMin, xMax, buckets: 10_000 };
        const [result] = await store.querySeries(query);
        expect(result?.last).toEqual(rows.slice(xMin, xMax + 1).map((row) => row.loss));
      }
    } finally {
      await store.close();
    }
  });
});

/** Opens the store and reads every run (runs refused, or "the database" when the open refused). */
async function readAll(db: string, logged: HistoryRow[][]): Promise<Set<string>> {
  const opened = await openSqliteStore(db).catch((error: unknown) => error);
  if (opened instanceof Error) {
    expect(opened).toBeInstanceOf(StoreCorruptError); // quick_check refused the file
    return new Set(["the database"]);
  }
  const store = opened as Store;
  try {
    return await readsAreLoggedOrRefused(store, logged);
  } finally {
    await store.close();
  }
}

/** The runs the check names (null: the file as a whole), and whether it found the store sound. */
async function checked(dataDir: string): Promise<{ named: Set<string>; ok: boolean }> {
  const report = await checkStore(dataDir);
  return { named: new Set(report.damaged.map((item) => item.run ?? "the database")), ok: report.ok };
}

describe("bits flipped at random places of the database file", () => {
  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
  /** Seeds after which some run still read back exactly as logged. */
  const readable: number[] = [];
  for (const seed of SEEDS) {
    it(`seed ${seed}: every read gives the logged values or STORE_CORRUPT, and the check finds what reads refused`, async () => {
      const { dataDir, db } = tempDataDir();
      const logged = await logRuns(db);
      const file = readFileSync(db);
      const next = random(seed);
      // 2–4 flips anywhere past the file header (page 1 holds the schema: damage there stops all).
      const flips = 2 + Math.floor(next() * 3);
      for (let i = 0; i < flips; i++) {
        const at = 4096 + Math.floor(next() * (file.length - 4096));
        file[at] = (file[at] as number) ^ (1 << Math.floor(next() * 8));
      }
      writeFileSync(db, file);
      const refused = await readAll(db, logged);
      if (!refused.has("the database") && refused.size < RUNS.length) readable.push(seed);
      // The check names every run a read refused (or the file as a whole).
      const { named, ok } = await checked(dataDir);
      for (const run of refused) expect(named.has(run) || named.has("the database")).toBe(true);
      if (refused.size > 0) expect(ok).toBe(false);
    });
  }
  it("left some run reading back as logged after most seeds (the reads of undamaged runs were exercised)", () => {
    expect(readable.length).toBeGreaterThanOrEqual(SEEDS.length / 2);
  });
});

describe("bits flipped inside one run's stored values", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const damaged = RUNS[seed % RUNS.length] as RunRef;
    it(`seed ${seed}: run ${damaged.runId} reads as logged or STORE_CORRUPT, the others exactly as logged, and the check names only it`, async () => {
      const { dataDir, db } = tempDataDir();
      const logged = await logRuns(db);
      flipBitsInValuesOf(db, damaged, 1 + (seed % 3), random(seed));
      const refused = await readAll(db, logged);
      expect([...refused]).toEqual([`e/p/${damaged.runId}`]);
      const { named, ok } = await checked(dataDir);
      expect({ named: [...named], ok }).toEqual({ named: [`e/p/${damaged.runId}`], ok: false });
    });
  }
});
