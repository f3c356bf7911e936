/**
 * A damaged store through a real server: a history block or series chunk that fails its
 * checksum is answered 500 STORE_CORRUPT naming the run and the fix, never as values; a history
 * export that meets damage after its first page is cut off, never ended cleanly; other runs read
 * as logged. A database file that is not a database, is truncated, or has a smashed page stops
 * the start with a StoreCorruptError naming the file and the fix, not a stack trace. The check
 * lists run files that are missing, cut short or changed on disk.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiPaths,
  StoreCorruptError,
  stringifyExtended,
  type ErrorBody,
  type RunRef,
} from "@stepwise/protocol";
import { checkStore, loadConfig, startServer } from "../src/index.js";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { changeDigitInHistoryText, flipChunkBit, smashRootPage } from "./store-damage.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-damage-"));
  dirs.push(dir);
  return dir;
}

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });
const EARLY = ref("early"); // damage in its first history block
const LATE = ref("late"); // damage in block 7 of 8: after the first page of 5 blocks
const SERIES = ref("series"); // damage in a chunk of `loss`
const CLEAN = ref("clean");

/** Ingests `count` rows in batches of 1,000 (one stored block each); returns the rows' texts. */
async function log(t: TestServer, run: RunRef, count: number): Promise<string[]> {
  const texts: string[] = [];
  for (let offset = 0; offset < count; offset += 1000) {
    const batch = historyBatch(offset, Math.min(1000, count - offset));
    expect((await t.ingest(run, batch)).status).toBe(200);
    for (const row of batch.history?.rows ?? []) texts.push(stringifyExtended(row));
  }
  return texts;
}

async function exactLoss(t: TestServer, run: RunRef): Promise<Response> {
  return t.send("POST", apiPaths.series(), { runs: [run], keys: ["loss"], buckets: 10_000 });
}

async function expectStoreCorrupt(response: Response, run: string, where: string): Promise<void> {
  expect(response.status).toBe(500);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("STORE_CORRUPT");
  expect(body.error.message).toContain(`run ${run}`);
  expect(body.error.message).toContain("restore");
  expect(body.error.message).toContain("stepwise server --check");
  expect(body.error.details).toMatchObject({ run, where });
}

describe("a damaged store through the HTTP API", () => {
  it("answers STORE_CORRUPT naming the run for damaged blocks and chunks, and logged values for the rest", async () => {
    const dataDir = tempDataDir();
    const logged: Record<string, string[]> = {};
    {
      await using t = await startTestServer({}, dataDir);
      for (const [run, count] of [
        [EARLY, 2000],
        [LATE, 8000],
        [SERIES, 3000],
        [CLEAN, 3000],
      ] as const)
        logged[run.runId] = await log(t, run, count);
    }
    const db = join(dataDir, "stepwise.db");
    changeDigitInHistoryText(db, EARLY, 0);
    changeDigitInHistoryText(db, LATE, 6000);
    flipChunkBit(db, SERIES, "loss", 1);

    await using t = await startTestServer({}, dataDir);
    await expectStoreCorrupt(await t.fetch(apiPaths.history(EARLY)), "e/p/early", "history rows 0–999");
    await expectStoreCorrupt(await exactLoss(t, SERIES), "e/p/series", "series 'loss', points 1024–2047");
    // The operator learns of it from the server log too.
    expect(t.logs.filter((line) => line.includes("is damaged")).join("\n")).toContain("run e/p/series");

    // Past the first page the response has begun: the transfer is cut, it never ends cleanly.
    const late = await t.fetch(apiPaths.history(LATE));
    expect(late.status).toBe(200);
    await expect(late.text()).rejects.toThrow();
    // The undamaged pages of that run, and the other runs, read exactly as logged.
    const before = await t.fetch(`${apiPaths.history(LATE)}?maxStep=5999`);
    expect((await before.text()).trim().split("\n")).toEqual(logged.late?.slice(0, 6000));
    const clean = await t.fetch(apiPaths.history(CLEAN));
    expect((await clean.text()).trim().split("\n")).toEqual(logged.clean);
    const series = (await (await exactLoss(t, CLEAN)).json()) as { series: Array<{ last: number[] }> };
    const loggedLoss = logged.clean?.map((text) => (JSON.parse(text) as { loss: number }).loss);
    expect(series.series[0]?.last).toEqual(loggedLoss);
    const early = await t.send("POST", apiPaths.series(), { runs: [EARLY], keys: ["loss"], buckets: 10_000 });
    expect(early.status).toBe(200); // its series are undamaged: only its history block is
  });
});

describe("run files in the check", () => {
  it("lists a run file that is missing, cut short or changed on disk, and nothing else", async () => {
    const dataDir = tempDataDir();
    {
      await using t = await startTestServer({}, dataDir);
      await log(t, CLEAN, 10);
      for (const path of ["gone.txt", "short.txt", "changed.txt", "kept.txt", "media/kept.png"]) {
        const put = await t.fetch(apiPaths.file(CLEAN, path), {
          method: "PUT",
          body: `contents of ${path}\n`,
        });
        expect(put.status).toBe(201);
      }
    }
    // Each file's blob, named by the sha256 of its content (files are content-addressed).
    const stored = (path: string): string => {
      const sha256 = createHash("sha256").update(`contents of ${path}\n`).digest("hex");
      return join(dataDir, "files", "blobs", "sha256", sha256.slice(0, 2), sha256);
    };
    rmSync(stored("gone.txt"));
    truncateSync(stored("short.txt"), 4);
    writeFileSync(stored("changed.txt"), "CONTENTS of changed.txt\n"); // same size, other bytes

    const report = await checkStore(dataDir);
    expect(report.checked.files).toBe(5);
    expect(report.damaged).toEqual([
      {
        run: "e/p/clean",
        item: "file",
        where: "changed.txt",
        problem: "content differs from the recorded sha256",
      },
      { run: "e/p/clean", item: "file", where: "gone.txt", problem: "missing from the file store" },
      {
        run: "e/p/clean",
        item: "file",
        where: "short.txt",
        problem: `size 4 bytes, recorded ${"contents of short.txt\n".length}`,
      },
    ]);
  });
});

describe("starting on a damaged database file", () => {
  const start = async (dataDir: string): Promise<StoreCorruptError> => {
    const config = loadConfig({ port: 0, host: "127.0.0.1", data: dataDir }, {});
    const error: unknown = await startServer(config, { log: () => {} }).then(
      async (server) => {
        await server.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreCorruptError);
    const { message } = error as StoreCorruptError;
    expect(message).toContain(join(dataDir, "stepwise.db"));
    expect(message).toContain("did not start");
    expect(message).toContain("restore");
    expect(message).not.toMatch(/\n\s+at /);
    return error as StoreCorruptError;
  };

  /** A data directory whose store holds two runs (so that its file has many pages). */
  async function populated(): Promise<string> {
    const dataDir = tempDataDir();
    await using t = await startTestServer({}, dataDir);
    await log(t, CLEAN, 3000);
    await log(t, SERIES, 3000);
    return dataDir;
  }

  it("refuses a file that is not a database", async () => {
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, "stepwise.db"), Buffer.alloc(64 * 1024, "not a database. "));
    expect((await start(dataDir)).message).toContain("not a Stepwise database");
  });

  it("refuses a truncated database", async () => {
    const dataDir = await populated();
    const db = join(dataDir, "stepwise.db");
    truncateSync(db, Math.floor(statSync(db).size / 2));
    await start(dataDir);
  });

  it("refuses a database with a damaged table page", async () => {
    const dataDir = await populated();
    smashRootPage(join(dataDir, "stepwise.db"), "runs");
    await start(dataDir);
  });
});
