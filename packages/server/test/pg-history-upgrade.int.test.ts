/**
 * A PostgreSQL database of schema 8 (one table row per history row) opened by this Stepwise: its
 * rows become history blocks (schema 9, pg-schema-history.ts) and read back exactly as they were
 * logged — whole, step-bounded, projected to keys, as NDJSON — and new batches continue the runs.
 * A hole in the old rows stays a hole (STORE_CORRUPT naming the run, never skipped), and a block
 * whose bytes change fails its sum on read and in the check. Compaction rewrites packed blocks
 * as text that reads back the same, and leaves a damaged one as it is. Real PostgreSQL
 * (support/postgres-process.ts).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PackedRowsBuilder,
  readPackedRows,
  stringifyExtended,
  StoreCorruptError,
  type HistoryRow,
  type RunRef,
} from "@stepwise/protocol";
import { blankRun } from "../src/domain/blank-run.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { checkPostgresStore } from "../src/store/postgres/pg-check.js";
import { openPool } from "../src/store/postgres/pg-database.js";
import { insertRun } from "../src/store/postgres/pg-run-table.js";
import { migrate } from "../src/store/postgres/pg-schema.js";
import type { Store } from "../src/store/store.js";
import { rows, runRef, scanAll } from "./store-contract/contract-setup.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;

beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

/** 2,345 rows: odd numbers, text, nested keys and every script, steps that skip. */
const logged: HistoryRow[] = rows(0, 2345, (s) => ({
  loss: s === 3 ? Number.NaN : s === 4 ? Number.POSITIVE_INFINITY : 1 / (s + 1),
  "train.acc": s % 7,
  note: s % 100 === 0 ? `ü 日本 😀 "q" \\ ${s}` : undefined,
})).map((row) => ({ ...row, _step: (row._step as number) * 2 }));
const texts = logged.map((row) => stringifyExtended(row));

/** A schema-8 database holding `runs` as schema 8 stored them, one table row per history row. */
async function version8(runs: Record<string, number[]>): Promise<string> {
  if (server === null) throw new Error("the PostgreSQL server did not start");
  const url = await server.createDatabase();
  const pool = openPool(url, 1);
  try {
    await migrate(pool, url, 8);
    let ordinal = 0;
    for (const [runId, indexes] of Object.entries(runs)) {
      const run = { ...blankRun(runRef(runId), 5), ordinal: ++ordinal };
      const pk = await insertRun(pool, { ...run, offsets: { ...run.offsets, history: logged.length } });
      await pool.query(
        `INSERT INTO history_rows (run_pk, row_index, step, body)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[])`,
        [pk, indexes, indexes.map((i) => logged[i]?._step), indexes.map((i) => texts[i])],
      );
    }
  } finally {
    await pool.end();
  }
  return url;
}

async function ndjson(store: Store, ref: RunRef): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of store.scanHistoryNdjson(ref)) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}

const all = logged.map((_, i) => i);

describe.skipIf(missing !== null)(
  `PostgreSQL history blocks${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("upgrades a schema-8 database's history rows to blocks that read back exactly what was logged", async () => {
      const url = await version8({ a: all, b: all.slice().reverse() });
      const store = await openPostgresStore(url);
      try {
        for (const ref of [runRef("a"), runRef("b")]) {
          expect(await scanAll(store, ref)).toEqual(texts);
          expect(await ndjson(store, ref)).toBe(`${texts.join("\n")}\n`);
          expect(await scanAll(store, ref, { minStep: 1998, maxStep: 2004 })).toEqual(texts.slice(999, 1003));
          const projected = await scanAll(store, ref, { keys: ["loss"], minStep: 0, maxStep: 10 });
          expect(projected).toEqual(
            logged.slice(0, 6).map((row) => stringifyExtended({ _step: row._step, loss: row.loss })),
          );
        }
        // The runs go on: a new batch's rows follow the converted ones.
        const more = rows(0, 3, (s) => ({ loss: s })).map((row) => ({
          ...row,
          _step: 5000 + (row._step as number),
        }));
        const applied = await store.applyBatch(
          runRef("a"),
          { history: { offset: logged.length, rows: more } },
          6,
        );
        expect(applied.run.offsets.history).toBe(logged.length + 3);
        expect(await scanAll(store, runRef("a"))).toEqual([
          ...texts,
          ...more.map((r) => stringifyExtended(r)),
        ]);
        const check = await checkPostgresStore(url);
        expect(check.damaged).toEqual([]);
        expect(check).toMatchObject({ runs: 2, historyRows: 2 * logged.length + 3 });
        expect(check.historyBlocks).toBe(7);
      } finally {
        await store.close();
      }
    });

    it("keeps a hole in a schema-8 run's rows as damage, and finds a block whose bytes changed", async () => {
      const url = await version8({ holed: all.filter((i) => i !== 1500), whole: all });
      const store = await openPostgresStore(url);
      try {
        await expect(scanAll(store, runRef("holed"))).rejects.toThrow(/history rows 1500–1500: missing/);
        await expect(ndjson(store, runRef("holed"))).rejects.toBeInstanceOf(StoreCorruptError);
        // A bounded read before the hole still answers.
        expect(await scanAll(store, runRef("holed"), { maxStep: 10 })).toEqual(texts.slice(0, 6));
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(
            `UPDATE history_blocks SET body = overlay(body placing '\\x30'::bytea from 9)
           WHERE first_row = 1000 AND run_pk = (SELECT pk FROM runs WHERE run_id = 'whole')`,
          );
        } finally {
          await client.end();
        }
        await expect(scanAll(store, runRef("whole"))).rejects.toThrow(
          /history rows 1000–1999: checksum mismatch/,
        );
        const check = await checkPostgresStore(url);
        expect(check.damaged).toEqual([
          {
            run: "team/proj/holed",
            item: "history block",
            where: "history rows 1500–1500",
            problem: "missing",
          },
          {
            run: "team/proj/whole",
            item: "history block",
            where: "history rows 1000–1999",
            problem: "checksum mismatch",
          },
        ]);
      } finally {
        await store.close();
      }
    });
    it("compacts packed blocks to text with fresh sums, and reports a damaged packed block once, left as it is", async () => {
      if (server === null) throw new Error("the PostgreSQL server did not start");
      const url = await server.createDatabase();
      const store = await openPostgresStore(url);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const clean = logged.map((row): HistoryRow => {
          const kept: HistoryRow = {};
          for (const [key, value] of Object.entries(row)) if (value !== undefined) kept[key] = value;
          return kept;
        });
        const builder = new PackedRowsBuilder();
        for (const row of clean) builder.addObject(row, stringifyExtended);
        const packed = readPackedRows(builder.build());
        for (const runId of ["p", "q"])
          await store.applyBatch(runRef(runId), { history: { offset: 0, packed } }, 1);
        const expected = clean.map((row) => stringifyExtended(row));
        expect(await scanAll(store, runRef("p"))).toEqual(expected);
        await client.query(
          `UPDATE history_blocks SET body = set_byte(body, 39, (get_byte(body, 39) + 1) % 256)
         WHERE first_row = 1000 AND run_pk = (SELECT pk FROM runs WHERE run_id = 'q')`,
        );
        const steps: Array<number | string> = [];
        for (let i = 0; i < 8; i++)
          steps.push(await store.compactHistory(2).catch((e: unknown) => (e as Error).message));
        expect(steps.slice(0, 4)).toEqual([
          2,
          2,
          expect.stringMatching(/team\/proj\/q.*history rows 1000–1999: checksum mismatch/),
          1,
        ]);
        expect(steps.slice(4)).toEqual([0, 0, 0, 0]);
        const left = await client.query<{ run_id: string; first_row: number }>(
          "SELECT run_id, first_row::integer AS first_row FROM history_blocks JOIN runs ON pk = run_pk WHERE packed",
        );
        expect(left.rows).toEqual([{ run_id: "q", first_row: 1000 }]);
        expect(await scanAll(store, runRef("p"))).toEqual(expected);
        expect(await ndjson(store, runRef("p"))).toBe(`${expected.join("\n")}\n`);
        expect(await scanAll(store, runRef("p"), { minStep: 1998, maxStep: 2004 })).toEqual(
          expected.slice(999, 1003),
        );
        await expect(scanAll(store, runRef("q"))).rejects.toBeInstanceOf(StoreCorruptError);
        expect((await checkPostgresStore(url)).damaged).toEqual([
          {
            run: "team/proj/q",
            item: "history block",
            where: "history rows 1000–1999",
            problem: "checksum mismatch",
          },
        ]);
      } finally {
        await client.end();
        await store.close();
      }
    });
  },
);
