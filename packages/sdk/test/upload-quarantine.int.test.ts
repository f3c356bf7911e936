/**
 * No record poisons a run: a server stricter than the SDK (here one whose body limit, 64 KiB,
 * is smaller than one logged row) refuses that record; the uploader quarantines it in the run
 * directory, uploads every other row, and reports it in `run.status()`, in the result of
 * `syncRunDirectory` and as a note on the run that the UI shows. Rows on the server are compared
 * one by one with what this test logged.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiPaths, parseExtended, QUARANTINE_NOTE_PATH, type RunRef } from "@stepwise/protocol";
import { loadConfig, startServer, type RunningServer } from "@stepwise/server";
import { init, syncRunDirectory, type Run } from "../src/index.js";

const ROWS = 600;
const POISONED = 300;
const BODY_LIMIT = 64 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-quarantine-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function strictServer(): Promise<RunningServer> {
  const config = loadConfig({
    port: 0,
    host: "127.0.0.1",
    data: tempDir(),
    maxBodyBytes: BODY_LIMIT,
    maxDecompressedBytes: BODY_LIMIT,
  });
  const server = await startServer(config, { log: () => undefined });
  cleanups.push(() => server.close());
  return server;
}

/** What the test logs at step i; the poisoned row also carries a string larger than the body limit. */
function logged(i: number): Record<string, unknown> {
  const row: Record<string, unknown> = { loss: 1 / (i + 1), acc: i / ROWS, epoch: Math.floor(i / 100) };
  if (i === POISONED) row["blob"] = "x".repeat(100_000);
  return row;
}

function logAll(run: Run): void {
  for (let i = 0; i < ROWS; i++) {
    run.log(logged(i));
    if (i === 100) run.config.update({ phase: "warm" });
  }
}

async function serverRows(url: string, ref: RunRef): Promise<Array<Record<string, unknown>>> {
  const text = await (await fetch(`${url}${apiPaths.history(ref)}?format=ndjson`)).text();
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => parseExtended(line) as Record<string, unknown>);
}

/** Every row the test logged but the poisoned one is on the server, at its step, value for value. */
async function expectEveryOtherRow(url: string, ref: RunRef): Promise<void> {
  const rows = await serverRows(url, ref);
  expect(rows).toHaveLength(ROWS - 1);
  const expected = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i !== POISONED);
  rows.forEach((row, n) => {
    const step = expected[n] as number;
    expect(row["_step"], `row ${n}`).toBe(step);
    expect({ loss: row["loss"], acc: row["acc"], epoch: row["epoch"] }, `step ${step}`).toEqual(logged(step));
    expect(row["blob"]).toBeUndefined();
  });
  const run = parseExtended(await (await fetch(url + apiPaths.run(ref))).text()) as Record<string, unknown>;
  expect(run).toMatchObject({ state: "finished", config: { phase: "warm" } });
  expect((run["summary"] as Record<string, unknown>)["loss"]).toBe(1 / ROWS);
}

function quarantinedRows(runDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(runDir, "quarantine.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => parseExtended(line) as Record<string, unknown>);
}

async function expectNote(url: string, ref: RunRef): Promise<void> {
  const response = await fetch(url + apiPaths.file(ref, QUARANTINE_NOTE_PATH));
  expect(response.status).toBe(200);
  const note = parseExtended(await response.text()) as Record<string, unknown>;
  expect(note["records"]).toBeGreaterThanOrEqual(1);
  expect(note["firstReason"]).toMatch(/HTTP 413/);
}

describe("quarantine", () => {
  it("a live run sets the refused row aside and uploads every other row", async () => {
    const server = await strictServer();
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "poison",
      settings: { silent: true },
    });
    logAll(run);
    await run.finish();
    const ref = { entity: run.entity, project: run.project, runId: run.id };
    await expectEveryOtherRow(server.url, ref);

    const setAside = quarantinedRows(run.dir);
    const row = setAside.find((entry) => entry["kind"] === "history");
    expect((row?.["record"] as { row: Record<string, unknown> }).row).toMatchObject({
      _step: POISONED,
      ...logged(POISONED),
    });
    expect(row?.["status"]).toBe(413);
    const status = await run.status();
    expect(status.quarantinedRecords).toBe(setAside.length);
    expect(status.quarantineReason).toMatch(/^HTTP 413: /);
    await expectNote(server.url, ref);
  }, 60_000);

  it("stepwise sync of an offline run does the same and reports it in its result", async () => {
    const server = await strictServer();
    const run = await init({
      mode: "offline",
      dir: tempDir(),
      project: "poison",
      settings: { silent: true },
    });
    logAll(run);
    await run.finish();
    const result = await syncRunDirectory(run.dir, { baseUrl: server.url, giveUpAfterMs: 10_000 });
    expect(result.status).toBe("synced");
    expect(result.quarantined?.records).toBe(quarantinedRows(run.dir).length);
    expect(result.quarantined?.records).toBeGreaterThanOrEqual(1);
    expect(result.quarantined?.firstReason).toMatch(/^HTTP 413: /);
    const ref = { entity: run.entity, project: run.project, runId: run.id };
    await expectEveryOtherRow(server.url, ref);
    await expectNote(server.url, ref);

    // Syncing again sends nothing and still reports what was set aside.
    const again = await syncRunDirectory(run.dir, { baseUrl: server.url });
    expect(again.status).toBe("already-synced");
    expect(again.quarantined?.records).toBe(result.quarantined?.records);
  }, 60_000);
});
