/**
 * `stepwise tables ls|export` and `ApiRun.table()` against a real server process, with tables
 * logged by the real SDK: the listing names each version as logged, exports hold exactly the
 * logged rows filtered, sorted and cut to the asked columns (CSV to stdout, Parquet to --out),
 * `--step` picks an older version, and mistakes exit with the catalogue's codes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCatalogue } from "@stepwise/protocol";
import { Api, init, Table } from "../../src/index.js";
import { main } from "../../src/cli/main.js";
import { useServerForFile } from "../support/server-process.js";
import { memoryIo } from "./memory-io.js";
import { HAS_SCRIPT, runOnTerminal } from "./run-on-terminal.js";

const { server, tempDir } = useServerForFile();
let dir = "";
let path = "";

const COLUMNS = ["id", "score", "label"];
const ROWS: Array<[string, number, string]> = [
  ["a", 0.9, "cat"],
  ["b", NaN, "dog"],
  ["c", 0.2, "cat"],
  ["d", Infinity, "bird"],
  ["e", 0.5, "dog, big"],
];
const OLD_ROWS: Array<[string, number, string]> = [["z", 1, "old"]];

async function tables(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(["tables", ...args, "--base-url", server.url], io);
  return { code, out: io.out(), err: io.err() };
}

const csvOf = (rows: unknown[][]): string =>
  rows
    .map(
      (r) => r.map((v) => (typeof v === "string" && v.includes(",") ? `"${v}"` : String(v))).join(",") + "\n",
    )
    .join("");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-tables-cli-"));
  const run = await init({
    dir: tempDir(),
    baseUrl: server.url,
    project: "tables-cli",
    settings: { silent: true },
  });
  run.log({ preds: new Table({ columns: COLUMNS, data: OLD_ROWS }) }, { step: 0 });
  run.log({ preds: new Table({ columns: COLUMNS, data: ROWS }) }, { step: 3 });
  await run.finish();
  path = `${run.entity}/${run.project}/${run.id}`;
  // The server stores a table once its file has arrived: wait until both versions are ready.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const listed = await tables("ls", path, "--json");
    if (listed.out.split('"ready"').length - 1 === 2) break;
    if (Date.now() > deadline) throw new Error(`tables not ready: ${listed.out}${listed.err}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("stepwise tables", () => {
  it("ls lists each version with its step, rows and columns, as text and as JSON", async () => {
    const text = await tables("ls", path);
    expect(text.code).toBe(0);
    expect(text.out.split("\n")[0]).toMatch(/^key\s+step\s+rows\s+columns\s+state$/);
    expect(text.out).toMatch(/preds\s+0\s+1\s+3\s+ready\n/);
    expect(text.out).toMatch(/preds\s+3\s+5\s+3\s+ready\n/);
    const json = (await tables("ls", path, "--json")).out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    expect(json).toEqual([
      {
        key: "preds",
        versions: [
          expect.objectContaining({ step: 0, rows: 1, columns: 3, state: "ready" }),
          expect.objectContaining({ step: 3, rows: 5, columns: 3, state: "ready" }),
        ],
      },
    ]);
  });

  it("export writes the logged rows filtered, sorted and cut to the asked columns as CSV on stdout", async () => {
    const all = await tables("export", path, "preds", "--format", "csv");
    expect([all.code, all.err]).toEqual([0, ""]);
    expect(all.out).toBe(`id,score,label\n${csvOf(ROWS)}`);
    const some = await tables(
      "export",
      path,
      "preds",
      "--format",
      "csv",
      "--where",
      'label != "bird"',
      "--sort",
      "label",
      "--sort",
      "-score",
      "--columns",
      "label,id",
    );
    const expected = ROWS.filter((r) => r[2] !== "bird")
      .map((r, i) => ({ r, i }))
      // label ascending, then score descending (NaN sorts as no value: last when descending), then logged order
      .sort((x, y) =>
        x.r[2] < y.r[2]
          ? -1
          : x.r[2] > y.r[2]
            ? 1
            : (Number.isNaN(x.r[1]) ? -Infinity : x.r[1]) > (Number.isNaN(y.r[1]) ? -Infinity : y.r[1])
              ? -1
              : 1,
      )
      .map(({ r }) => [r[2], r[0]]);
    expect([some.code, some.err, some.out]).toEqual([0, "", `label,id\n${csvOf(expected)}`]);
    const old = await tables("export", path, "preds", "--format", "csv", "--step", "0");
    expect(old.out).toBe(`id,score,label\n${csvOf(OLD_ROWS)}`);
  });

  it("export --format parquet --out writes the whole file with the logged values, NaN and Infinity included", async () => {
    const out = join(dir, "preds.parquet");
    const result = await tables("export", path, "preds", "--format", "parquet", "--out", out);
    expect([result.code, result.out, result.err]).toEqual([0, "", expect.stringContaining(`wrote ${out}`)]);
    const rows = await parquetReadObjects({ file: new Uint8Array(readFileSync(out)).buffer });
    expect(rows).toEqual(ROWS.map(([id, score, label]) => ({ id, score, label })));
  });

  it.runIf(HAS_SCRIPT)("refuses Parquet onto a terminal (exit 2) as stepwise export does", async () => {
    for (const args of [
      ["tables", "export", path, "preds", "--format", "parquet"],
      ["export", path, "--format", "parquet"],
    ]) {
      const result = await runOnTerminal([...args, "--base-url", server.url]);
      expect([result.code, result.output], args[0]).toEqual([
        2,
        expect.stringContaining("Parquet is binary: pass --out FILE or redirect stdout to a file"),
      ]);
      expect(result.output).not.toContain("PAR1");
    }
  });

  it("mistakes exit with the catalogue's codes and leave no file", async () => {
    const missing = await tables("export", path, "nope", "--format", "csv");
    expect([missing.code, missing.err]).toEqual([
      errorCatalogue.NOT_FOUND.exitCode,
      expect.stringContaining(`"nope"; 'stepwise tables ls ${path}'`),
    ]);
    const badWhere = await tables("export", path, "preds", "--format", "csv", "--where", "score >");
    expect(badWhere.code).toBe(errorCatalogue.INVALID_DATA.exitCode);
    const noFormat = await tables("export", path, "preds");
    expect([noFormat.code, noFormat.err]).toEqual([
      errorCatalogue.USAGE.exitCode,
      expect.stringContaining("--format csv"),
    ]);
    const badRun = await tables("ls", "just-a-name");
    expect(badRun.code).toBe(errorCatalogue.USAGE.exitCode);
    const out = join(dir, "never.csv");
    expect((await tables("export", path, "nope", "--format", "csv", "--out", out)).code).toBe(
      errorCatalogue.NOT_FOUND.exitCode,
    );
    expect(() => readFileSync(out)).toThrow();
    expect(() => readFileSync(`${out}.tmp`)).toThrow();
  });
});

describe("ApiRun.table", () => {
  it("query pages the logged rows and export answers the file", async () => {
    const run = await new Api({ baseUrl: server.url }).run(path);
    const page = await run.table("preds").query({ sort: [{ column: "id", desc: true }], limit: 2 });
    expect(page.kind === "rows" && [page.totalRows, page.rows.map((r) => r.cells)]).toEqual([
      5,
      [ROWS[4], ROWS[3]],
    ]);
    const old = await run.table("preds", { step: 0 }).query();
    expect(old.kind === "rows" && old.rows.map((r) => r.cells)).toEqual(OLD_ROWS);
    const file = await run.table("preds").export({ format: "csv", where: "score > 0.4", columns: ["id"] });
    expect(file.fileName).toBe("preds_3.csv");
    expect(new TextDecoder().decode(await file.bytes())).toBe("id\na\nd\ne\n");
    expect((await run.tables()).map((t) => [t.key, t.versions.map((v) => v.step)])).toEqual([
      ["preds", [0, 3]],
    ]);
  });
});
