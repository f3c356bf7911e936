/**
 * A table of 1,000,000 rows logged to a run (its `table-file` history value and its file through
 * the file channel), then sorted, filtered, grouped and paged by the server: every page is
 * compared with the rows the test generated, filtered and sorted here in plain JavaScript.
 */
import { beforeAll, afterAll, describe, expect, test } from "vitest";
import {
  parseExtended,
  structuredPaths,
  type RunRef,
  type TablePage,
  type TableQueryInput,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import {
  ingestRows,
  random,
  tableFileBytes,
  tableFileValue,
  uploadTable,
} from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "tables", runId: "million" };
const ROWS = 1_000_000;
const LABELS = ["cat", "dog", "bird", "fish", "cow", "ant", "eel"];
const COLUMNS = ["id", "score", "label", "ok", "note"];
type Row = [number, number, string, boolean, string | null];

let t: TestServer;
let rows: Row[];

beforeAll(async () => {
  const next = random(11);
  rows = Array.from({ length: ROWS }, (_, i): Row => [
    i,
    Math.round(next() * 1e6) / 1e6,
    LABELS[Math.floor(next() * LABELS.length)] as string,
    next() < 0.3,
    i % 10 === 3 ? null : `n${i % 997}`,
  ]);
  const bytes = tableFileBytes(COLUMNS, rows);
  const value = tableFileValue("big", 0, bytes, ROWS, COLUMNS.length);
  t = await startTestServer();
  await ingestRows(t, ref, 0, [{ _step: 0, big: value }]);
  await uploadTable(t, ref, value, bytes);
}, 240_000);

afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

async function query(body: TableQueryInput): Promise<TablePage> {
  const response = await t.send("POST", structuredPaths.tableQuery(ref), body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status}: ${text}`);
  return parseExtended(text) as TablePage;
}

/** SQLite's order: nulls first ascending, numbers before text; ties in logged order. */
function compare(a: string | number | boolean | null, b: string | number | boolean | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function expected(filter: (r: Row) => boolean, sort: Array<{ column: number; desc: boolean }>): Row[] {
  const out = rows.filter(filter);
  return out.sort((a, b) => {
    for (const s of sort) {
      const c = compare(a[s.column] ?? null, b[s.column] ?? null);
      if (c !== 0) return s.desc ? -c : c;
    }
    return a[0] - b[0];
  });
}

function cellsOf(page: TablePage): unknown[][] {
  if (page.kind !== "rows") throw new Error("expected rows");
  return page.rows.map((r) => r.cells);
}

describe("a 1,000,000-row table", () => {
  test("pages in logged order without sort or filter, with typed columns", async () => {
    const page = await query({ key: "big", offset: 999_950, limit: 100 });
    expect(page.totalRows).toBe(ROWS);
    expect(page.schema.map((c) => [c.name, c.type])).toEqual([
      ["id", "number"],
      ["score", "number"],
      ["label", "string"],
      ["ok", "boolean"],
      ["note", "string"],
    ]);
    expect(page.kind === "rows" && page.rows.map((r) => r.index)).toEqual(
      rows.slice(999_950).map((r) => r[0]),
    );
    expect(cellsOf(page)).toEqual(rows.slice(999_950));
  });

  test("sorted by one column, first and deep pages", async () => {
    const want = expected(() => true, [{ column: 1, desc: false }]);
    for (const offset of [0, 500_000, 999_900]) {
      const page = await query({ key: "big", sort: [{ column: "score" }], offset, limit: 100 });
      expect(cellsOf(page)).toEqual(want.slice(offset, offset + 100));
    }
    const desc = expected(() => true, [{ column: 1, desc: true }]);
    const page = await query({
      key: "big",
      sort: [{ column: "score", desc: true }],
      offset: 250_000,
      limit: 50,
    });
    expect(cellsOf(page)).toEqual(desc.slice(250_000, 250_050));
  });

  test("filtered and sorted by two columns, with the matching count, at every page asked", async () => {
    const filter = (r: Row): boolean => (r[2] === "cat" || r[2] === "eel") && r[1] > 0.25 && !r[3];
    const sort = [
      { column: 2, desc: true },
      { column: 1, desc: false },
    ];
    const want = expected(filter, sort);
    const where = 'label in ("cat", "eel") and score > 0.25 and ok = false';
    for (const offset of [0, 1000, want.length - 10]) {
      const page = await query({
        key: "big",
        where,
        sort: [
          { column: "label", desc: true },
          { column: "score", desc: false },
        ],
        offset,
        limit: 100,
      });
      expect(page.kind === "rows" && page.matchedRows).toBe(want.length);
      expect(cellsOf(page)).toEqual(want.slice(offset, offset + 100));
    }
  });

  test("null tests, not, or, contains and a chosen set of columns", async () => {
    const filter = (r: Row): boolean => r[4] === null || (!(r[0] >= 10) && r[4].toLowerCase().includes("n1"));
    const want = expected(filter, [{ column: 4, desc: false }]);
    const page = await query({
      key: "big",
      where: "note is null or (not id >= 10 and note contains 'N1')",
      sort: [{ column: "note" }],
      columns: ["note", "id"],
      offset: 99_990,
      limit: 20,
    });
    expect(page.kind === "rows" && page.columns).toEqual(["note", "id"]);
    expect(page.kind === "rows" && page.matchedRows).toBe(want.length);
    expect(cellsOf(page)).toEqual(want.slice(99_990, 100_010).map((r) => [r[4], r[0]]));
  });

  test("grouped by a column: counts and min/max/mean of the number columns per group", async () => {
    const filter = (r: Row): boolean => r[1] < 0.5;
    const page = await query({ key: "big", where: "score < 0.5", groupBy: "label", limit: 100 });
    if (page.kind !== "groups") throw new Error("expected groups");
    const matched = rows.filter(filter);
    expect(page.matchedRows).toBe(matched.length);
    expect(page.groupCount).toBe(LABELS.length);
    expect(page.groups.map((g) => g.value)).toEqual([...LABELS].sort());
    for (const group of page.groups) {
      const members = matched.filter((r) => r[2] === group.value);
      expect(group.count).toBe(members.length);
      const scores = members.map((r) => r[1]);
      expect(group.stats.score?.min).toBe(Math.min(...scores));
      expect(group.stats.score?.max).toBe(Math.max(...scores));
      expect(group.stats.score?.mean).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 9);
      expect(group.stats.id?.min).toBe(Math.min(...members.map((r) => r[0])));
    }
  });
});
