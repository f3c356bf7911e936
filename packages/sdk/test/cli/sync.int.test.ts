/**
 * `stepwise sync` against a real server (the built CLI's `server` command in a child process):
 * offline runs arrive exactly, a second sync sends nothing, --json prints one object per run,
 * and without arguments it takes every unsynced run under $STEPWISE_DIR/stepwise.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { init } from "@stepwise/sdk";
import { fetchHistory, useServerForFile } from "../support/server-process.js";
import { BIN, runCli } from "./run-cli.js";

const { server, tempDir } = useServerForFile();

interface Logged {
  dir: string;
  id: string;
  /** Each row as logged, with its step. */
  rows: Array<Record<string, unknown>>;
}

async function offlineRun(dir: string, count: number): Promise<Logged> {
  const run = await init({ mode: "offline", dir, project: "sync", settings: { silent: true } });
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const values = { loss: 1 / (i + 1), nested: { v: i }, bad: i === 3 ? NaN : i };
    run.log(values);
    rows.push({ _step: i, ...values });
  }
  run.summary.set("best", 0.5);
  await run.finish();
  return { dir: run.dir, id: run.id, rows };
}

/** The server's rows without the SDK's _runtime and _timestamp. */
async function serverRows(id: string): Promise<Array<Record<string, unknown>>> {
  const rows = await fetchHistory(server.url, { entity: "local", project: "sync", id });
  return rows.map(({ _runtime, _timestamp, ...rest }) => {
    void _runtime;
    void _timestamp;
    return rest;
  });
}

describe("stepwise sync", () => {
  it("uploads offline runs exactly, and a second sync sends nothing", async () => {
    const root = tempDir();
    const a = await offlineRun(root, 500);
    const b = await offlineRun(root, 20);
    const first = await runCli(["sync", "--json", "--base-url", server.url, a.dir, b.dir]);
    expect(first.code, first.stderr).toBe(0);
    const results = first.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Runs upload in parallel: lines come in the order runs complete.
    const byRun = (run: { id: string }) => results.find((result) => result["run"] === `local/sync/${run.id}`);
    expect(byRun(a)).toMatchObject({ status: "synced", crashed: false, dir: a.dir });
    expect(byRun(b)).toMatchObject({ status: "synced", crashed: false, dir: b.dir });
    for (const run of [a, b]) expect(await serverRows(run.id)).toEqual(run.rows);
    const response = await fetch(`${server.url}/api/v1/runs/local/sync/${a.id}`);
    const stored = parseExtended(await response.text()) as Record<string, unknown>;
    expect(stored).toMatchObject({ state: "finished", summary: { best: 0.5 } });

    const second = await runCli(["sync", "--json", "--base-url", server.url, a.dir, b.dir]);
    expect(
      second.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toMatchObject([
      { status: "already-synced", requests: 0 },
      { status: "already-synced", requests: 0 },
    ]);
  });

  it("without arguments syncs every unsynced run under STEPWISE_DIR", async () => {
    const root = tempDir();
    const a = await offlineRun(root, 5);
    const b = await offlineRun(root, 5);
    const env = { ...process.env, STEPWISE_DIR: root, STEPWISE_BASE_URL: server.url };
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "sync"], { env });
    expect(stdout).toContain(`local/sync/${a.id}`);
    expect(stdout).toContain(`local/sync/${b.id}`);
    const again = await promisify(execFile)(process.execPath, [BIN, "sync"], { env });
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain("nothing to sync");
  });

  it("exits 1 and says why when the server cannot be reached", async () => {
    const root = tempDir();
    const a = await offlineRun(root, 5);
    const env = { ...process.env, STEPWISE_SYNC_GIVE_UP_S: "1" };
    const result = await promisify(execFile)(
      process.execPath,
      [BIN, "sync", "--json", "--base-url", "http://127.0.0.1:9", a.dir],
      { env },
    ).catch((error: { code: number; stdout: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "failed",
      message: expect.stringContaining("not reachable") as string,
    });
  });
});
