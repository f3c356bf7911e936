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

const twoLabels = (r: Row): boolean => (r[2] === "cat" || r[2] === "eel") && r[1] > 0.25 && !r[3];
const nullsOrSmall = (r: Row): boolean =>
  r[4] === null || (!(r[0] >= 10) && r[4].toLowerCase().includes("n1"));
const lowScore = (r: Row): boolean => r[1] < 0.5;
const BY_LABEL_DESC_SCORE = [
  { column: 2, desc: true },
  { column: 1, desc: false },
];
/**
 * The answers, worked out from the generated rows before the server starts: the server runs in
 * this process, so seconds of sorting between two requests would let its keep-alive timer close
 * the connection just as the next request is sent.
 */
let truth: {
  byScore: Row[];
  byScoreDesc: Row[];
  byNoteDesc: Row[];
  twoLabels: Row[];
  nullsOrSmall: Row[];
  lowScore: Row[];
  notesDesc: Array<string | null>;
  noteCounts: Map<string | null, number>;
};

beforeAll(async () => {
  const next = random(11);
  rows = Array.from({ length: ROWS }, (_, i): Row => [
    i,
    Math.round(next() * 1e6) / 1e6,
    LABELS[Math.floor(next() * LABELS.length)] as string,
    next() < 0.3,
    i % 10 === 3 ? null : `n${i % 997}`,
  ]);
  truth = {
    byScore: expected(() => true, [{ column: 1, desc: false }]),
    byScoreDesc: expected(() => true, [{ column: 1, desc: true }]),
    byNoteDesc: expected(() => true, [{ column: 4, desc: true }]),
    twoLabels: expected(twoLabels, BY_LABEL_DESC_SCORE),
    nullsOrSmall: expected(nullsOrSmall, [{ column: 4, desc: false }]),
    lowScore: rows.filter(lowScore),
    notesDesc: [...new Set(rows.map((r) => r[4]))].sort((a, b) => compare(b, a)),
    noteCounts: new Map(),
  };
  for (const r of rows) truth.noteCounts.set(r[4], (truth.noteCounts.get(r[4]) ?? 0) + 1);
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
    const want = truth.byScore;
    for (const offset of [0, 500_000, 999_900]) {
      const page = await query({ key: "big", sort: [{ column: "score" }], offset, limit: 100 });
      expect(cellsOf(page)).toEqual(want.slice(offset, offset + 100));
    }
    const desc = truth.byScoreDesc;
    const page = await query({
      key: "big",
      sort: [{ column: "score", desc: true }],
      offset: 250_000,
      limit: 50,
    });
    expect(cellsOf(page)).toEqual(desc.slice(250_000, 250_050));
  });

  test("sorted descending by a text column with many ties: near the top and deep, ties in logged order", async () => {
    const want = truth.byNoteDesc;
    // 899,950: the last values and the first nulls (the last 100,000 rows, in logged order).
    for (const offset of [0, 9_900, 700_000, 899_950, 999_950]) {
      const page = await query({ key: "big", sort: [{ column: "note", desc: true }], offset, limit: 100 });
      expect(cellsOf(page)).toEqual(want.slice(offset, offset + 100));
    }
  });

  test("groups paged in descending order of their value", async () => {
    const page = await query({
      key: "big",
      groupBy: "note",
      sort: [{ column: "note", desc: true }],
      offset: 10,
      limit: 5,
    });
    if (page.kind !== "groups") throw new Error("expected groups");
    const values = truth.notesDesc;
    expect(page.groupCount).toBe(values.length);
    expect(page.matchedRows).toBe(ROWS);
    expect(page.groups.map((g) => g.value)).toEqual(values.slice(10, 15));
    expect(page.groups.map((g) => g.count)).toEqual(values.slice(10, 15).map((v) => truth.noteCounts.get(v)));
  });

  test("filtered and sorted by two columns, with the matching count, at every page asked", async () => {
    const want = truth.twoLabels;
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
    const want = truth.nullsOrSmall;
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
    const page = await query({ key: "big", where: "score < 0.5", groupBy: "label", limit: 100 });
    if (page.kind !== "groups") throw new Error("expected groups");
    const matched = truth.lowScore;
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
