/**
 * `stepwise export entity/project/runId` against a real server: a run written offline by the
 * real SDK is ingested as it is on disk (run metadata, every history row, summary, exit), then
 * exported from the server and from the run directory; both exports must be the same bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, iterateHistory, readOfflineRun } from "@stepwise/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { main } from "../../src/cli/main.js";
import { memoryIo } from "./memory-io.js";

let tmp: string;
let runDir: string;
let target: string;
let server: TestServer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "stepwise-export-server-"));
  server = await startTestServer();
  const run = await init({
    mode: "offline",
    dir: tmp,
    entity: "team",
    project: "p",
    config: { lr: 0.1, opt: { name: "adam" } },
    tags: ["a"],
    notes: "n",
    group: "g",
    jobType: "train",
    settings: { silent: true },
  });
  for (let step = 0; step < 300; step++)
    run.log({
      loss: step === 7 ? Number.NaN : 1 / (step + 1),
      train: { acc: step / 300 },
      ...(step % 50 === 0 ? { val: step } : {}),
    });
  await run.finish();
  runDir = run.dir;
  target = `team/p/${run.id}`;
  const offline = readOfflineRun(runDir);
  const { info } = offline;
  await server.ingest(
    { entity: "team", project: "p", runId: run.id },
    {
      run: {
        name: info.name,
        group: info.group,
        jobType: info.jobType,
        tags: info.tags,
        notes: info.notes,
        config: offline.config,
        startTime: info.startTime,
      },
      history: { offset: 0, rows: [...iterateHistory(runDir)] },
      summary: offline.summary,
      exit: { exitCode: info.exitCode ?? 0, runtime: info.runtime },
    },
  );
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function exportOf(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(["export", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const fromServer = (...args: string[]) => exportOf([target, "--base-url", server.url, ...args]);
const fromDisk = (...args: string[]) => exportOf([runDir, ...args]);

describe("stepwise export entity/project/runId", () => {
  it.each([
    ["history as JSON lines", []],
    ["history as CSV", ["--format", "csv"]],
    ["history with --keys", ["--keys", "train.acc,val"]],
    ["CSV with --keys", ["--format", "csv", "--keys", "loss"]],
    ["the summary", ["--what", "summary"]],
    ["the config, cut by --keys", ["--what", "config", "--keys", "opt"]],
    ["the run metadata", ["--what", "run"]],
  ])("prints %s exactly as the local export does", async (_what, args) => {
    const local = await fromDisk(...args);
    const remote = await fromServer(...args);
    expect(local.code).toBe(0);
    expect(remote).toEqual(local);
  });

  it("keeps NaN as a bare token and every row unsampled", async () => {
    const { code, out } = await fromServer();
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(300);
    expect(lines[7]).toMatch(/"loss":NaN[,}]/);
  });

  it("reads the server from STEPWISE_BASE_URL when --base-url is not given", async () => {
    const saved = process.env["STEPWISE_BASE_URL"];
    process.env["STEPWISE_BASE_URL"] = server.url;
    try {
      const { code, out } = await exportOf([target, "--what", "run"]);
      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ entity: "team", project: "p", state: "finished" });
    } finally {
      if (saved === undefined) delete process.env["STEPWISE_BASE_URL"];
      else process.env["STEPWISE_BASE_URL"] = saved;
    }
  });

  it("writes --out atomically, and downloads the server's Parquet with --format parquet", async () => {
    const csvOut = join(tmp, "h.csv");
    const csv = await fromServer("--format", "csv", "--out", csvOut);
    expect(csv.code).toBe(0);
    expect(csv.err).toBe(`wrote 300 history rows to ${csvOut}\n`);
    expect(readFileSync(csvOut, "utf8")).toBe((await fromDisk("--format", "csv")).out);
    const parquetOut = join(tmp, "h.parquet");
    const parquet = await fromServer("--format", "parquet", "--out", parquetOut);
    expect(parquet.code).toBe(0);
    const bytes = readFileSync(parquetOut);
    // A Parquet file starts and ends with the magic "PAR1".
    expect(bytes.subarray(0, 4).toString()).toBe("PAR1");
    expect(bytes.subarray(-4).toString()).toBe("PAR1");
  });

  it("says --format parquet needs a server target when given a local run", async () => {
    const { code, err } = await fromDisk("--format", "parquet", "--out", join(tmp, "x.parquet"));
    expect(code).toBe(2);
    expect(err).toMatch(/parquet is available for server targets/);
  });

  it("exits 4 for a run the server does not have, leaving no --out file", async () => {
    const out = join(tmp, "none.jsonl");
    const { code, err } = await exportOf(["team/p/missing", "--base-url", server.url, "--out", out]);
    expect(code).toBe(4);
    expect(err).toMatch(/^stepwise: error: .*missing/);
    expect(() => readFileSync(out)).toThrow();
  });
});
