/**
 * `stepwise export entity/project --out DIR` and `api.exportRuns`: a real server process, runs
 * logged by the real SDK (online), and every exported row compared with the values logged: per
 * run as JSON lines, CSV and Parquet, combined with a `_run` column, filtered by config; a
 * SIGKILLed export rerun gives complete files, none duplicated or cut, and keeps the files the
 * first one finished.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { parseExtended } from "@stepwise/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, init } from "../../src/index.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { collect, runCliWith, startCli } from "./spawn-cli.js";

type Row = Record<string, unknown>;

let tmp: string;
let server: ServerProcess;
/** runId → the rows as logged (user keys and _step), and the run's lr: project `bulk`, then `kill`. */
const logged = new Map<string, { rows: Row[]; lr: number }>();
const killed = new Map<string, { rows: Row[]; lr: number }>();

/** Rows a run logs: numbers, NaN and ±Infinity, a nested namespace, text that CSV must quote. */
function rowsFor(run: number, count: number): Row[] {
  return Array.from({ length: count }, (_, step) => {
    const row: Row = { loss: 1 / (step + 1) + run, acc: step / count };
    if (step === 3) row.loss = Number.NaN;
    if (step === 4) row.acc = Number.POSITIVE_INFINITY;
    if (step % 5 === 0) row.train = { grad: -(step + 1) * 0.25 };
    if (step % 7 === 0) row.note = `run ${run}, "step" ${step}\nnext line`;
    if (run % 2 === 1 && step % 3 === 0) row[`only${run}`] = step;
    return row;
  });
}

async function logRun(
  run: number,
  count: number,
  project: string,
  into: Map<string, { rows: Row[]; lr: number }>,
): Promise<void> {
  const lr = 0.1 * (run + 1);
  const sdkRun = await init({
    baseUrl: server.url,
    dir: tmp,
    entity: "team",
    project,
    name: `run-${run}`,
    config: { lr },
    settings: { silent: true, finishTimeoutMs: 120_000 },
  });
  const rows = rowsFor(run, count);
  for (const row of rows) sdkRun.log(row);
  await sdkRun.finish();
  into.set(sdkRun.id, { rows: rows.map((row, step) => ({ _step: step, ...row })), lr });
}

/** An exported row without the bookkeeping the SDK adds (_runtime, _timestamp). */
function userPart(row: Row): Row {
  const { _runtime: _r, _timestamp: _t, ...rest } = row;
  return rest;
}

function jsonlRows(path: string): Row[] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => parseExtended(line) as Row);
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      fields.push(field);
      field = "";
    } else if (!quoted && c === "\n") {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = "";
    } else {
      field += c;
    }
  }
  return records;
}

/** A logged row as CSV cells: dotted names, numbers as JSON spells them, NaN/Infinity bare. */
function csvCells(row: Row): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === "object" && value !== null)
      for (const [inner, v] of Object.entries(value)) cells[`${key}.${inner}`] = String(v);
    else cells[key] = String(value);
  }
  return cells;
}

/** How many runs a sequence of run ids holds, each run's ids together (throws if interleaved). */
function runsInOrder(ids: readonly string[]): number {
  const seen: string[] = [];
  for (const id of ids) {
    if (seen.at(-1) === id) continue;
    if (seen.includes(id)) throw new Error(`rows of ${id} are not together`);
    seen.push(id);
  }
  return seen.length;
}

function exportedFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort();
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "stepwise-export-project-"));
  server = await startServerProcess(join(tmp, "data"));
  for (let run = 0; run < 4; run++) await logRun(run, 300 + run * 50, "bulk", logged);
}, 120_000);

afterAll(async () => {
  await server.kill("SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  STEPWISE_BASE_URL: server.url,
  STEPWISE_API_KEY: "",
  STEPWISE_CONFIG_DIR: join(tmp, "config"),
});
const exportCli = (args: string[]) => runCliWith(["export", ...args], { env: env() });

describe("stepwise export entity/project", () => {
  it("writes one JSON-lines file per run holding exactly the rows logged, and a --json summary", async () => {
    const out = join(tmp, "jsonl");
    const result = await exportCli(["team/bulk", "--format", "jsonl", "--out", out, "--json"]);
    expect(result.stderr).toMatch(/exported 4 runs/);
    expect(result.code).toBe(0);
    const ids = [...logged.keys()].sort();
    expect(exportedFiles(out)).toEqual(ids.map((id) => `${id}.jsonl`).sort());
    for (const id of ids)
      expect(jsonlRows(join(out, `${id}.jsonl`)).map(userPart)).toEqual(logged.get(id)?.rows);
    const summary = JSON.parse(result.stdout) as { runs: number; rows: number; skipped: number };
    expect(summary).toMatchObject({ runs: 4, skipped: 0, rows: 300 + 350 + 400 + 450 });
  });

  it("applies --filter on the runs' config", async () => {
    const out = join(tmp, "filtered");
    const result = await exportCli(["team/bulk", "--filter", "config.lr>0.25", "--out", out]);
    expect(result.code).toBe(0);
    const wanted = [...logged].filter(([, run]) => run.lr > 0.25).map(([id]) => `${id}.jsonl`);
    expect(wanted).toHaveLength(2);
    expect(exportedFiles(out)).toEqual(wanted.sort());
  });

  it("writes CSV per run and one combined CSV with a _run column, each cell as logged", async () => {
    const out = join(tmp, "csv");
    expect((await exportCli(["team/bulk", "--format", "csv", "--out", out, "--combined"])).code).toBe(0);
    expect(exportedFiles(out)).toEqual(["bulk.csv"]);
    const [header, ...records] = csvRecords(readFileSync(join(out, "bulk.csv"), "utf8"));
    expect(header?.slice(0, 2)).toEqual(["_run", "_step"]);
    expect(header?.slice(-2)).toEqual(["_runtime", "_timestamp"]);
    const expected = [...logged].flatMap(([id, run]) =>
      run.rows.map((row) => ({ _run: id, ...csvCells(row) })),
    );
    const got = records.map((fields) => {
      const cells: Record<string, string> = {};
      header?.forEach((name, i) => {
        if (fields[i] !== "" && name !== "_runtime" && name !== "_timestamp")
          cells[name] = fields[i] as string;
      });
      return cells;
    });
    // Each run's rows together, in step order.
    expect(got).toHaveLength(expected.length);
    expect(runsInOrder(got.map((cells) => cells["_run"] as string))).toBe(logged.size);
    for (const id of logged.keys())
      expect(got.filter((cells) => cells["_run"] === id)).toEqual(
        expected.filter((cells) => cells._run === id),
      );
  });

  it("writes a combined JSON-lines file with the run id first in each row", async () => {
    const out = join(tmp, "combined");
    const api = new Api({ baseUrl: server.url, apiKey: "" });
    const progress: number[] = [];
    const result = await api.exportRuns("team/bulk", {
      out,
      combined: true,
      onProgress: (p) => progress.push(p.runsDone),
    });
    expect(result.combinedFile).toBe("bulk.jsonl");
    expect(exportedFiles(out)).toEqual(["bulk.jsonl"]);
    const rows = jsonlRows(join(out, "bulk.jsonl"));
    expect(rows.map((row) => Object.keys(row)[0])).toEqual(rows.map(() => "_run"));
    expect(runsInOrder(rows.map((row) => row["_run"] as string))).toBe(logged.size);
    for (const [id, run] of logged)
      expect(rows.filter((row) => row["_run"] === id).map(userPart)).toEqual(
        run.rows.map((row) => ({ _run: id, ...row })),
      );
    expect(progress.at(-1)).toBe(4);
  });

  it("writes Parquet per run with every logged value", async () => {
    const out = join(tmp, "parquet");
    const api = new Api({ baseUrl: server.url, apiKey: "" });
    const result = await api.exportRuns("team/bulk", { out, format: "parquet", concurrency: 2 });
    expect(result.runs.map((run) => run.file).sort()).toEqual(exportedFiles(out));
    for (const [id, run] of logged) {
      const bytes = readFileSync(join(out, `${id}.parquet`));
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const rows = (await parquetReadObjects({ file })) as Row[];
      expect(rows.map((row) => row["_step"])).toEqual(run.rows.map((row) => row["_step"]));
      expect(rows.map((row) => row["loss"])).toEqual(run.rows.map((row) => row["loss"]));
      expect(rows.map((row) => row["train.grad"] ?? undefined)).toEqual(
        run.rows.map((row) => (row["train"] as { grad?: number } | undefined)?.grad),
      );
    }
  });
});

describe("a project export run again", () => {
  it("keeps complete files and writes again the file of a run that logged more rows since", async () => {
    const api = new Api({ baseUrl: server.url, apiKey: "" });
    const live = await init({
      baseUrl: server.url,
      dir: tmp,
      entity: "team",
      project: "growing",
      settings: { silent: true },
    });
    // The uploader sends rows as they are logged; the server has them a moment later.
    const held = (): Promise<number> =>
      api.run(`team/growing/${live.id}`).then(
        (run) => run.historyRows,
        () => 0,
      );
    const rowsOnServer = async (count: number): Promise<void> => {
      for (let i = 0; i < 400 && (await held()) < count; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await held()).toBe(count);
    };
    try {
      await exportWhileGrowing(live, rowsOnServer, api);
    } finally {
      await live.finish();
    }
    // Finished with the rows the file holds: kept, not written again.
    const out = join(tmp, "growing");
    const third = await api.exportRuns("team/growing", { out });
    expect(third.runs.map((run) => [run.rows, run.skipped])).toEqual([[150, true]]);
    expect(exportedFiles(out)).toEqual([`${live.id}.jsonl`]);
  }, 60_000);
});

async function exportWhileGrowing(
  live: Awaited<ReturnType<typeof init>>,
  rowsOnServer: (count: number) => Promise<void>,
  api: Api,
): Promise<void> {
  for (let step = 0; step < 100; step++) live.log({ loss: step });
  await rowsOnServer(100);
  const out = join(tmp, "growing");
  const first = await api.exportRuns("team/growing", { out });
  expect(first.runs.map((run) => [run.rows, run.skipped])).toEqual([[100, false]]);

  for (let step = 100; step < 150; step++) live.log({ loss: step });
  await rowsOnServer(150);
  const second = await api.exportRuns("team/growing", { out });
  expect(second.runs.map((run) => [run.rows, run.skipped])).toEqual([[150, false]]);
  expect(jsonlRows(join(out, `${live.id}.jsonl`)).map((row) => row["loss"])).toEqual(
    Array.from({ length: 150 }, (_, step) => step),
  );
}

describe("project export usage errors", () => {
  it("asks for --out DIR, and says what a combined Parquet file needs instead", async () => {
    const noOut = await exportCli(["team/bulk"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/pass --out DIR/);
    const combined = await exportCli([
      "team/bulk",
      "--format",
      "parquet",
      "--combined",
      "--out",
      join(tmp, "x"),
    ]);
    expect(combined.code).toBe(2);
    expect(combined.stderr).toMatch(/combined Parquet file is not available/);
    const oneRun = await exportCli([`team/bulk/${[...logged.keys()][0]}`, "--filter", "state=finished"]);
    expect(oneRun.code).toBe(2);
    expect(oneRun.stderr).toMatch(/--filter applies to a project target/);
  });
});

describe("a project export killed and run again", () => {
  it("completes every file exactly once and keeps those the first run finished", async () => {
    for (let run = 0; run < 10; run++) await logRun(100 + run, 20_000, "kill", killed);
    const killRuns = [...killed.keys()];
    const out = join(tmp, "killed");
    const child = startCli(["export", "team/kill", "--out", out, "--jobs", "1"], env());
    const done = collect(child);
    // Kill once the first file is complete and recorded in the manifest, while the next one is
    // being written. (A file renamed into place but not yet recorded is exported again.)
    const manifest = join(out, ".stepwise-export.jsonl");
    const recordedFiles = (): string[] =>
      existsSync(manifest)
        ? readFileSync(manifest, "utf8")
            .split("\n")
            .filter((line) => line.endsWith("}"))
            .map((line) => (JSON.parse(line) as { file: string }).file)
        : [];
    for (let i = 0; i < 2000 && recordedFiles().length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill("SIGKILL");
    await done;
    const recorded = recordedFiles();
    const afterKill = exportedFiles(out);
    expect(recorded.length).toBeGreaterThan(0);
    expect(afterKill.length).toBeLessThan(killRuns.length);
    // What the killed export left is complete, never cut.
    for (const name of afterKill)
      expect(jsonlRows(join(out, name)).map(userPart)).toEqual(
        killed.get(name.replace(/\.jsonl$/, ""))?.rows,
      );

    const rerun = await exportCli(["team/kill", "--out", out, "--json"]);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { skipped: number; runs: number };
    expect(summary.runs).toBe(killRuns.length);
    expect(summary.skipped).toBeGreaterThanOrEqual(recorded.length);
    expect(exportedFiles(out)).toEqual(killRuns.map((id) => `${id}.jsonl`).sort());
    expect(readdirSync(out).filter((name) => name.endsWith(".partial"))).toEqual([]);
    for (const id of killRuns)
      expect(jsonlRows(join(out, `${id}.jsonl`)).map(userPart)).toEqual(killed.get(id)?.rows);
  }, 180_000);
});
