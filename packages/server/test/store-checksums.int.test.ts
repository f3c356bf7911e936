/**
 * Checksums on stored run data, on real SQLite files: a damaged history block (text or packed),
 * series chunk or rollup block is reported as STORE_CORRUPT naming the run and the place, never
 * read as values; the full check (`checkStore`) reports exactly the damaged items; undamaged
 * runs, and the undamaged parts of a damaged one, still read as logged. A store from before
 * checksums (schema 3) gets them on upgrade, equal to those written now.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  PackedRowsBuilder,
  readPackedRows,
  stringifyExtended,
  StoreCorruptError,
  type HistoryRow,
  type RunRef,
} from "@stepwise/protocol";
import { checkStore } from "../src/store-check.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { SCHEMA_VERSION } from "../src/store/sqlite/schema.js";
import type { Store, StoreHistory } from "../src/store/store.js";
import { scanAll } from "./store-contract/contract-setup.js";
import { variedRows } from "./store-contract/history.js";
import {
  changeDigitInHistoryText,
  downgradeTo,
  flipBitInFile,
  flipChunkBit,
  flipHistoryBlockBit,
  flipRollupBit,
} from "./store-damage.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDataDir(): { dataDir: string; db: string } {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-crc-"));
  dirs.push(dataDir);
  return { dataDir, db: join(dataDir, "stepwise.db") };
}

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });
const TEXT = ref("text");
const PACKED = ref("packed");
const CHUNKY = ref("chunky");
const CLEAN = ref("clean");

/** Values with many digits, rising (so no unit's min or max sits in a unit's middle). */
const lossAt = (step: number): number => 1000 + step + Math.sin(step) / 7;
const accAt = (step: number): number => step / 5000 + Math.cos(step) / 1e6;
const seriesRows = (count: number): HistoryRow[] =>
  Array.from({ length: count }, (_, step) => ({ _step: step, loss: lossAt(step), acc: accAt(step) }));

function packed(rows: readonly HistoryRow[]): StoreHistory {
  const builder = new PackedRowsBuilder();
  for (const row of rows) builder.addObject(row, stringifyExtended);
  return { offset: 0, packed: readPackedRows(builder.build()) };
}

/** Logs the four runs; returns what each logged. */
interface Logged {
  text: HistoryRow[];
  packed: HistoryRow[];
  chunky: HistoryRow[];
  clean: HistoryRow[];
}

async function logRuns(store: Store): Promise<Logged> {
  const logged: Logged = {
    text: variedRows(3500),
    packed: variedRows(2500),
    chunky: seriesRows(5000),
    clean: variedRows(3000),
  };
  await store.applyBatch(TEXT, { history: { offset: 0, rows: logged.text } }, 1);
  await store.applyBatch(PACKED, { history: packed(logged.packed) }, 1);
  await store.applyBatch(CHUNKY, { history: { offset: 0, rows: logged.chunky } }, 1);
  await store.applyBatch(CLEAN, { history: { offset: 0, rows: logged.clean } }, 1);
  return logged;
}

/** Exact values of a series, all points (10,000 buckets ≥ the points). */
async function exactValues(store: Store, run: RunRef, key: string, xMax?: number): Promise<unknown[]> {
  const [result] = await store.querySeries({
    runs: [run],
    keys: [key],
    xAxis: "_step",
    buckets: 10_000,
    ...(xMax === undefined ? {} : { xMax }),
  });
  expect(result?.exact).toBe(true);
  return result?.last ?? [];
}

async function corruption(work: Promise<unknown>): Promise<StoreCorruptError> {
  const error: unknown = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreCorruptError);
  return error as StoreCorruptError;
}

describe("stored run data checksums", () => {
  it("reports each damaged block, chunk and rollup as STORE_CORRUPT naming the run, and serves the rest as logged", async () => {
    const { dataDir, db } = tempDataDir();
    const first = await openSqliteStore(db);
    const logged = await logRuns(first);
    await first.close();

    changeDigitInHistoryText(db, TEXT, 1000);
    flipHistoryBlockBit(db, TEXT, 3000, "steps");
    flipHistoryBlockBit(db, PACKED, 0, "packed");
    flipChunkBit(db, CHUNKY, "loss", 2);
    flipRollupBit(db, CHUNKY, "acc", 1, 0);

    const store = await openSqliteStore(db);
    try {
      const text = await corruption(scanAll(store, TEXT));
      expect(text.code).toBe("STORE_CORRUPT");
      expect(text.details).toMatchObject({
        run: "e/p/text",
        item: "history block",
        where: "history rows 1000–1999",
      });
      expect(text.message).toContain("run e/p/text");
      expect(text.message).toContain("restore");
      // The block before the damage reads as logged; the damaged ones never as values.
      const logText = logged.text.map((row) => stringifyExtended(row));
      expect(await scanAll(store, TEXT, { maxStep: 999 })).toEqual(logText.slice(0, 1000));
      expect(await scanAll(store, TEXT, { minStep: 2000, maxStep: 2999 })).toEqual(logText.slice(2000, 3000));
      expect((await corruption(scanAll(store, TEXT, { minStep: 3000 }))).details.where).toBe(
        "history rows 3000–3499",
      );

      const pack = await corruption(scanAll(store, PACKED));
      expect(pack.details).toMatchObject({ run: "e/p/packed", where: "history rows 0–999" });
      expect(await scanAll(store, PACKED, { minStep: 1000 })).toEqual(
        logged.packed.slice(1000).map((row) => stringifyExtended(row)),
      );

      const chunk = await corruption(exactValues(store, CHUNKY, "loss"));
      expect(chunk.details).toMatchObject({
        run: "e/p/chunky",
        item: "series chunk",
        where: "series 'loss', points 2048–3071",
      });
      expect(await exactValues(store, CHUNKY, "loss", 2047)).toEqual(
        logged.chunky.slice(0, 2048).map((r) => r.loss),
      );
      // A downsampled query over the rollups meets the damaged rollup; exact points do not need it.
      const rollup = await corruption(
        store.querySeries({ runs: [CHUNKY], keys: ["acc"], xAxis: "_step", buckets: 100 }),
      );
      expect(rollup.details).toMatchObject({ run: "e/p/chunky", item: "series rollup" });
      expect(await exactValues(store, CHUNKY, "acc")).toEqual(logged.chunky.map((r) => r.acc));

      expect(await scanAll(store, CLEAN)).toEqual(logged.clean.map((row) => stringifyExtended(row)));
      const cleanLoss = logged.clean.map((r) => (Number.isFinite(r.loss) ? r.loss : null));
      expect(await exactValues(store, CLEAN, "loss")).toEqual(cleanLoss);
    } finally {
      await store.close();
    }

    const report = await checkStore(dataDir);
    expect(report.ok).toBe(false);
    expect(report.damaged.map(({ run, item, where }) => ({ run, item, where }))).toEqual([
      { run: "e/p/text", item: "history block", where: "history rows 1000–1999" },
      { run: "e/p/text", item: "history block", where: "history rows 3000–3499" },
      { run: "e/p/packed", item: "history block", where: "history rows 0–999" },
      { run: "e/p/chunky", item: "series rollup", where: "series 'acc', rollup level 1 block 0" },
      { run: "e/p/chunky", item: "series chunk", where: "series 'loss', points 2048–3071" },
    ]);
    expect(report.checked).toMatchObject({ runs: 4, historyBlocks: 4 + 3 + 5 + 3 });
    expect(report.checked.seriesChunks).toBeGreaterThan(10);
    expect(report.checked.seriesRollups).toBeGreaterThan(5);
  });

  it("finds a bit flipped in the database file inside a stored value, on read and in the check", async () => {
    const { dataDir, db } = tempDataDir();
    const first = await openSqliteStore(db);
    const logged = await logRuns(first);
    await first.close();
    // The float64 bytes of one logged point, mid-unit, so it is stored only in its chunk.
    const value = new Float64Array([lossAt(3333)]);
    flipBitInFile(db, new Uint8Array(value.buffer));

    expect((await checkStore(dataDir)).damaged.map(({ run, item, where }) => ({ run, item, where }))).toEqual(
      [{ run: "e/p/chunky", item: "series chunk", where: "series 'loss', points 3072–4095" }],
    );
    const store = await openSqliteStore(db); // SQLite's own checks see nothing wrong: the start goes on
    try {
      expect((await corruption(exactValues(store, CHUNKY, "loss"))).details.run).toBe("e/p/chunky");
      expect(await exactValues(store, CHUNKY, "acc")).toEqual(logged.chunky.map((r) => r.acc));
    } finally {
      await store.close();
    }
  });

  it("refuses to extend a series whose stored open chunk is damaged, instead of rewriting it with a new checksum", async () => {
    const { dataDir, db } = tempDataDir();
    const first = await openSqliteStore(db);
    await first.applyBatch(CHUNKY, { history: { offset: 0, rows: seriesRows(1500) } }, 1);
    await first.close();
    flipChunkBit(db, CHUNKY, "loss", 1);

    const store = await openSqliteStore(db);
    try {
      const more = seriesRows(1600).slice(1500);
      const error = await corruption(store.applyBatch(CHUNKY, { history: { offset: 1500, rows: more } }, 2));
      expect(error.details).toMatchObject({ run: "e/p/chunky", where: "series 'loss', points 1024–1499" });
      expect((await store.getRun(CHUNKY))?.offsets.history).toBe(1500); // nothing of the batch applied
    } finally {
      await store.close();
    }
    expect((await checkStore(dataDir)).damaged).toHaveLength(1);
  });

  it("leaves a damaged packed block packed in compaction, reports it once, and compacts the others", async () => {
    const { dataDir, db } = tempDataDir();
    const first = await openSqliteStore(db);
    const rows = variedRows(2500);
    await first.applyBatch(PACKED, { history: packed(rows) }, 1);
    await first.close();
    flipHistoryBlockBit(db, PACKED, 1000, "packed");

    const store = await openSqliteStore(db);
    try {
      let rewritten = 0;
      let reported = 0;
      for (let i = 0; i < 5; i++) {
        try {
          rewritten += await store.compactHistory(4);
        } catch (error) {
          expect(error).toBeInstanceOf(StoreCorruptError);
          expect((error as StoreCorruptError).details).toMatchObject({
            run: "e/p/packed",
            where: "history rows 1000–1999",
          });
          reported++;
        }
      }
      expect({ rewritten, reported }).toEqual({ rewritten: 2, reported: 1 });
      const texts = rows.map((row) => stringifyExtended(row));
      expect(await scanAll(store, PACKED, { maxStep: 999 })).toEqual(texts.slice(0, 1000));
      expect(await scanAll(store, PACKED, { minStep: 2000 })).toEqual(texts.slice(2000));
      expect((await corruption(scanAll(store, PACKED))).details.where).toBe("history rows 1000–1999");
    } finally {
      await store.close();
    }
    expect((await checkStore(dataDir)).damaged.map((d) => d.where)).toEqual(["history rows 1000–1999"]);
  });

  it("gives a store from before checksums (schema 3) the checksums that writing it now gives, on upgrade", async () => {
    const { dataDir, db } = tempDataDir();
    const first = await openSqliteStore(db);
    const logged = await logRuns(first);
    await first.close();
    const crcs = (): unknown[] => {
      const conn = new Database(db, { readonly: true });
      try {
        return ["history_blocks", "series_chunks", "series_rollups"].map((table) =>
          conn.prepare(`SELECT crc FROM ${table} ORDER BY rowid`).pluck().all(),
        );
      } finally {
        conn.close();
      }
    };
    const written = crcs();
    downgradeTo(db, 3);

    const before = await checkStore(dataDir);
    expect(before.schemaVersion).toBe(3);
    expect(before.notes.join("\n")).toContain("predates checksums");

    await (await openSqliteStore(db)).close(); // the upgrade
    expect(crcs()).toEqual(written);
    const after = await checkStore(dataDir);
    expect({ ok: after.ok, schemaVersion: after.schemaVersion, notes: after.notes }).toEqual({
      ok: true,
      schemaVersion: SCHEMA_VERSION,
      notes: [],
    });

    flipChunkBit(db, CLEAN, "loss", 1);
    const store = await openSqliteStore(db);
    try {
      expect(await scanAll(store, TEXT)).toEqual(logged.text.map((row) => stringifyExtended(row)));
      expect((await corruption(exactValues(store, CLEAN, "loss"))).details.run).toBe("e/p/clean");
    } finally {
      await store.close();
    }
  });
});
