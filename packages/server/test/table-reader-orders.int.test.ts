/**
 * Pages and groups of a stored table (real SQLite through TableBuilder and TableReader) compared
 * with the logged rows sorted, filtered and grouped here in plain JavaScript: descending sorts by
 * one column at every depth (runs of ties longer than a page, pages that start and end inside a
 * run, nulls and NaN last, ties in logged order), and groups of few values (read in slices) and
 * of many, with and without a filter, in both orders of their value.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compareCodePoints, type TableColumn } from "@stepwise/protocol";
import { planTableQuery, type TablePlan } from "../src/domain/tables/table-query-plan.js";
import { TableBuilder } from "../src/store/tables/table-builder.js";
import { TableReader } from "../src/store/tables/table-reader.js";
import { TableReadPool } from "../src/store/tables/table-read-pool.js";
import { isSplitRead, TableReads, type StoredTableRef } from "../src/store/tables/table-reads.js";
import { random } from "./support/structured-values.js";

/** More rows than one group slice (32,768), so groups are summed across slices. */
const ROWS = 70_001;
const NAMES = ["id", "score", "label", "ok", "note"];
const LABELS = ["cat", "dog", "émeu", "ant", "zebra", "Zebra", "😀"];
type Cell = number | string | boolean | null;
type Row = Cell[];

let dir: string;
let rows: Row[];
let reader: TableReader;
let schema: TableColumn[];
let stored: StoredTableRef;

/** A score: mostly few distinct values (long runs of ties), some nulls, NaN, ±Infinity, -0. */
function score(next: () => number, i: number): number | null {
  if (i % 997 === 5) return Number.NaN;
  if (i % 1009 === 7) return null;
  if (i % 4999 === 1) return i % 2 === 0 ? Infinity : -Infinity;
  if (i % 503 === 2) return -0;
  const r = next();
  return r < 0.6 ? Math.floor(r * 10) : Math.round(r * 1e4) / 1e3;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-table-orders-"));
  const next = random(23);
  rows = Array.from({ length: ROWS }, (_, i): Row => {
    const s = score(next, i);
    const label = next() < 0.05 ? null : (LABELS[Math.floor(next() * LABELS.length)] as string);
    const ok = i % 13 === 0 ? null : next() < 0.8;
    const note = i % 10 === 3 ? null : `n${i % 613}`;
    return [i, s, label, ok, note];
  });
  const path = join(dir, "t.sqlite");
  const builder = new TableBuilder(path);
  builder.columns(NAMES);
  rows.forEach((row, i) => builder.row(row, i));
  const built = builder.finish();
  schema = built.columns;
  stored = { path, columns: built.columns, rows: built.rows };
  reader = new TableReader(new Database(path, { readonly: true }), built.columns, built.rows);
}, 60_000);

afterAll(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's order of stored cells: null (and NaN, stored as null) first, numbers, then text by code point. */
function compare(a: Cell, b: Cell): number {
  const x = typeof a === "number" && Number.isNaN(a) ? null : typeof a === "boolean" ? Number(a) : a;
  const y = typeof b === "number" && Number.isNaN(b) ? null : typeof b === "boolean" ? Number(b) : b;
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "number") return -1;
  if (typeof y === "number") return 1;
  return compareCodePoints(x, y);
}

function sorted(column: number, desc: boolean, keep: (r: Row) => boolean = () => true): Row[] {
  return rows.filter(keep).sort((a, b) => {
    const c = compare(a[column] as Cell, b[column] as Cell);
    return c !== 0 ? (desc ? -c : c) : (a[0] as number) - (b[0] as number);
  });
}

function plan(query: Record<string, unknown>): TablePlan {
  return planTableQuery({ offset: 0, limit: 100, ...query }, schema);
}

/** Offsets at the edges of runs of ties in `want` (and inside them), the top and the end. */
function offsetsOf(want: Row[], column: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < want.length; i++)
    if (compare(want[i - 1]?.[column] as Cell, want[i]?.[column] as Cell) !== 0) edges.push(i);
  const pick = edges.filter((_, k) => k % Math.max(1, Math.floor(edges.length / 12)) === 0);
  const around = pick.flatMap((e) => [e - 150, e - 1, e, e + 37]);
  return [0, 1, 99, ...around, Math.floor(want.length / 2), want.length - 100, want.length - 1, want.length]
    .filter((o) => o >= 0)
    .sort((a, b) => a - b);
}

describe("a stored table sorted by one column", () => {
  for (const [name, column] of [
    ["score (numbers, nulls, NaN, ±Infinity, -0)", 1],
    ["label (text with ties and nulls)", 2],
    ["ok (booleans: runs of ties of 50,000 rows)", 3],
    ["note (text)", 4],
  ] as const) {
    test(`descending by ${name}: every page in order, ties in logged order, at any depth`, () => {
      const want = sorted(column, true);
      const columnName = NAMES[column] as string;
      for (const offset of offsetsOf(want, column))
        for (const limit of [1, 100, 1000]) {
          const page = reader.page(plan({ sort: [{ column: columnName, desc: true }], offset, limit }));
          expect(page.matchedRows).toBe(ROWS);
          expect(page.rows.map((r) => r.index)).toEqual(want.slice(offset, offset + limit).map((r) => r[0]));
          expect(page.rows.map((r) => r.cells)).toEqual(want.slice(offset, offset + limit));
        }
    });

    test(`ascending by ${name}: the same pages in the other order`, () => {
      const want = sorted(column, false);
      const columnName = NAMES[column] as string;
      for (const offset of offsetsOf(want, column)) {
        const page = reader.page(plan({ sort: [{ column: columnName }], offset, limit: 100 }));
        expect(page.rows.map((r) => r.index)).toEqual(want.slice(offset, offset + 100).map((r) => r[0]));
      }
    });
  }

  test("descending with a filter: the same rows as sorting the matching rows", () => {
    const want = sorted(2, true, (r) => typeof r[1] === "number" && r[1] < 0.5);
    for (const offset of [0, 5000, want.length - 50]) {
      const page = reader.page(
        plan({ where: "score < 0.5", sort: [{ column: "label", desc: true }], offset }),
      );
      expect(page.matchedRows).toBe(want.length);
      expect(page.rows.map((r) => r.cells)).toEqual(want.slice(offset, offset + 100));
    }
  });
});

describe("a first order found in two parts (one per read worker) and merged", () => {
  /** The matching rows sorted here by several columns, ties in logged order. */
  function sortedBy(sort: Array<[number, boolean]>, keep: (r: Row) => boolean): Row[] {
    return rows.filter(keep).sort((a, b) => {
      for (const [column, desc] of sort) {
        const c = compare(a[column] as Cell, b[column] as Cell);
        if (c !== 0) return desc ? -c : c;
      }
      return (a[0] as number) - (b[0] as number);
    });
  }
  const any = (): boolean => true;
  // score has long runs of ties (few values) in both halves of the rowids, so pages in a run
  // interleave rows of both parts by logged order: a merge that put a part's ties first fails.
  for (const [name, where, keep, sort] of [
    [
      "label desc, score",
      "label != 'ant' and ok = true",
      (r: Row) => r[2] !== "ant" && r[3] === true,
      [
        [2, true],
        [1, false],
      ],
    ],
    ["score desc (runs of ties, nulls, ±Infinity)", "note != 'n5'", (r: Row) => r[4] !== "n5", [[1, true]]],
    [
      "note, label desc",
      "score < 5",
      (r: Row) => typeof r[1] === "number" && r[1] < 5,
      [
        [4, false],
        [2, true],
      ],
    ],
    [
      "ok, score desc",
      "",
      any,
      [
        [3, false],
        [1, true],
      ],
    ],
    [
      "logged order (a filter alone)",
      "label = 'cat' or score > 9",
      (r: Row) => r[2] === "cat" || (typeof r[1] === "number" && r[1] > 9),
      [],
    ],
  ] as Array<[string, string, (r: Row) => boolean, Array<[number, boolean]>]>) {
    test(`${name}${where === "" ? "" : ` where ${where}`}: every page as sorted here`, async () => {
      const want = sortedBy(sort, keep);
      const query = (offset: number, limit: number): TablePlan =>
        plan({
          where: where === "" ? undefined : where,
          sort: sort.map(([c, desc]) => ({ column: NAMES[c] as string, desc })),
          offset,
          limit,
        });
      const reads = new TableReads();
      expect(isSplitRead(reads.run({ op: "page", table: stored, plan: query(0, 100), split: true }))).toBe(
        true,
      );
      reads.close();
      const pool = new TableReadPool(false, "always");
      try {
        const offsets = [
          0,
          1,
          99,
          Math.floor(want.length / 3),
          Math.floor(want.length / 2) - 50,
          want.length - 100,
        ];
        for (const offset of offsets.filter((o) => o >= 0)) {
          const page = (await pool.read(stored, {
            op: "page",
            table: stored,
            plan: query(offset, 500),
          })) as ReturnType<TableReader["page"]>;
          expect(page.matchedRows).toBe(want.length);
          expect(page.rows.map((r) => r.index)).toEqual(want.slice(offset, offset + 500).map((r) => r[0]));
        }
      } finally {
        await pool.close();
      }
    });
  }
});

/** -0 as 0: SQLite's min of a group holding 0 and -0 is either, as it meets them. */
function zero<T>(x: T): T {
  return (x === 0 ? 0 : x) as T;
}

interface Expected {
  value: Cell;
  count: number;
  stats: Record<string, { min: number | null; max: number | null; mean: number | null }>;
}

/** Groups of `column` among the rows that `keep`, by value, with the number columns' statistics. */
function groupsOf(column: number, keep: (r: Row) => boolean): Expected[] {
  const byValue = new Map<string, Row[]>();
  for (const r of sorted(column, false, keep)) {
    const v = r[column] as Cell;
    // SQLite groups 0 with -0, and NaN (stored as null) with null.
    const key = v === null || Number.isNaN(v) ? "null" : `${typeof v} ${String(v)}`;
    const members = byValue.get(key);
    if (members === undefined) byValue.set(key, [r]);
    else members.push(r);
  }
  const finite = (x: number): number | null => (Number.isFinite(x) ? zero(x) : null);
  return [...byValue.values()].map((members) => {
    const stats: Expected["stats"] = {};
    for (const i of [0, 1].filter((i) => i !== column)) {
      const xs = members
        .map((r) => r[i])
        .filter((x): x is number => typeof x === "number" && !Number.isNaN(x));
      stats[NAMES[i] as string] =
        xs.length === 0
          ? { min: null, max: null, mean: null }
          : {
              min: finite(Math.min(...xs)),
              max: finite(Math.max(...xs)),
              mean: finite(xs.reduce((a, b) => a + b, 0) / xs.length),
            };
    }
    const first = (members[0] as Row)[column] as Cell;
    return {
      value: typeof first === "number" && Number.isNaN(first) ? null : first,
      count: members.length,
      stats,
    };
  });
}

const lowScore = (r: Row): boolean => typeof r[1] === "number" && r[1] < 0.5;
const GROUPINGS = [
  [2, "", () => true],
  [2, "score < 0.5", lowScore],
  [3, "label = 'cat' or label is null", (r: Row) => r[2] === "cat" || r[2] === null],
  [4, "score < 0.5", lowScore],
  [1, "", () => true],
] as const;
type Groups = ReturnType<TableReader["groups"]>;

describe("a stored table grouped by one column", () => {
  for (const [column, where, keep] of GROUPINGS) {
    const name = NAMES[column] as string;
    test(`by ${name}${where === "" ? "" : ` where ${where}`}: values in order, counts and statistics`, async () => {
      await expectGroups(column, where, keep, (p) => reader.groups(p));
    });
  }

  test("few values: the first query read in two parts (one per read worker) and joined", async () => {
    // Each part holds rows of every group (the parts split the rowids in half), so a join that
    // dropped, doubled or failed to add a part's counts, minima, maxima or sums fails here.
    const reads = new TableReads();
    const first = plan({ groupBy: "label", where: "score < 0.5", limit: 10 });
    expect(isSplitRead(reads.run({ op: "groups", table: stored, plan: first, split: true }))).toBe(true);
    reads.close();
    const pool = new TableReadPool(false, "always");
    try {
      for (const [column, where, keep] of GROUPINGS.filter(([c]) => c === 2 || c === 3))
        await expectGroups(
          column,
          where,
          keep,
          (p) => pool.read(stored, { op: "groups", table: stored, plan: p }) as Promise<Groups>,
        );
    } finally {
      await pool.close();
    }
  });
});

async function expectGroups(
  column: number,
  where: string,
  keep: (r: Row) => boolean,
  read: (p: TablePlan) => Groups | Promise<Groups>,
): Promise<void> {
  const name = NAMES[column] as string;
  const want = groupsOf(column, keep);
  for (const desc of [false, true]) {
    const page = await read(
      plan({
        groupBy: name,
        where: where === "" ? undefined : where,
        sort: [{ column: name, desc }],
        limit: 100_000,
      }),
    );
    const expected = desc ? [...want].reverse() : want;
    expect(page.groupCount).toBe(want.length);
    expect(page.matchedRows).toBe(want.reduce((n, g) => n + g.count, 0));
    expect(page.groups.map((g) => [g.value, g.count])).toEqual(expected.map((g) => [g.value, g.count]));
    page.groups.forEach((g, k) => {
      for (const [stat, s] of Object.entries((expected[k] as Expected).stats)) {
        expect(zero(g.stats[stat]?.min)).toBe(s.min);
        expect(zero(g.stats[stat]?.max)).toBe(s.max);
        if (s.mean === null) expect(g.stats[stat]?.mean).toBeNull();
        else expect(g.stats[stat]?.mean).toBeCloseTo(s.mean, 9);
      }
    });
  }
}
