/**
 * Sync state belongs to a (run directory, server) pair: a run synced to one server uploads in
 * full to a second, fresh server, and to a server restored from a backup of its data directory
 * taken before the run was synced (same instance id, but without the run). Rows on each server
 * are compared with what the test logged.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { init } from "@stepwise/sdk";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { runCliWith } from "./spawn-cli.js";

const made: string[] = [];
const servers: ServerProcess[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-servers-"));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  for (const server of servers) await server.kill("SIGTERM");
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function server(dataDir: string, port?: number): Promise<ServerProcess> {
  const started = await startServerProcess(dataDir, port === undefined ? {} : { port });
  servers.push(started);
  return started;
}

interface Logged {
  dir: string;
  id: string;
  rows: Array<Record<string, unknown>>;
}

async function offlineRun(root: string, count: number, seed: number): Promise<Logged> {
  const run = await init({ mode: "offline", dir: root, project: "pair", settings: { silent: true } });
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const values = { loss: seed + 1 / (i + 1), nested: { v: i * seed } };
    run.log(values);
    rows.push({ _step: i, ...values });
  }
  await run.finish();
  return { dir: run.dir, id: run.id, rows };
}

async function serverRows(url: string, id: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${url}/api/v1/runs/local/pair/${id}/history?format=ndjson`);
  if (response.status === 404) return [];
  return (await response.text())
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const { _runtime, _timestamp, ...rest } = parseExtended(line) as Record<string, unknown>;
      void _runtime;
      void _timestamp;
      return rest;
    });
}

async function sync(url: string, root: string, args: string[] = []): Promise<Array<Record<string, unknown>>> {
  const result = await runCliWith(["sync", "--json", ...args], {
    env: { STEPWISE_DIR: root, STEPWISE_BASE_URL: url },
  });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function byRun(results: Array<Record<string, unknown>>, run: Logged): Record<string, unknown> | undefined {
  return results.find((result) => result["run"] === `local/pair/${run.id}`);
}

describe("sync state per server", () => {
  it("uploads what a second server and a server restored from an older backup lack", async () => {
    const root = tempDir();
    const first = await offlineRun(root, 3000, 1);
    const second = await offlineRun(root, 2000, 2);
    const dataA = tempDir();
    let a = await server(dataA);

    // Server A gets the first run; then its data directory is backed up, server stopped.
    expect(byRun(await sync(a.url, root, [first.dir]), first)).toMatchObject({ status: "synced" });
    await a.kill("SIGTERM");
    const backup = join(tempDir(), "backup");
    cpSync(dataA, backup, { recursive: true });
    a = await server(dataA, a.port);

    // Without arguments: only the run A does not have yet.
    const toA = await sync(a.url, root);
    expect(toA).toHaveLength(1);
    expect(byRun(toA, second)).toMatchObject({ status: "synced", rows: { recovered: 2000, uploaded: 2000 } });
    expect(await serverRows(a.url, second.id)).toEqual(second.rows);
    const idA = byRun(toA, second)?.["serverId"];

    // A fresh server B: both runs, although both are marked synced to A.
    const b = await server(tempDir());
    const toB = await sync(b.url, root);
    expect(toB).toHaveLength(2);
    for (const run of [first, second]) {
      expect(byRun(toB, run)).toMatchObject({ status: "synced", rows: { uploaded: run.rows.length } });
      expect(await serverRows(b.url, run.id)).toEqual(run.rows);
    }
    const idB = byRun(toB, first)?.["serverId"];
    expect(idB).not.toBe(idA);
    const marker = readFileSync(join(second.dir, `run-${second.id}.swlog.synced`), "utf8");
    expect(marker.split("\n").filter(Boolean).sort()).toEqual([idA, idB].sort());

    // A restored from the backup: same instance id, but the second run is gone.
    await a.kill("SIGTERM");
    rmSync(dataA, { recursive: true, force: true });
    cpSync(backup, dataA, { recursive: true });
    a = await server(dataA, a.port);
    expect(await serverRows(a.url, second.id)).toEqual([]);
    const restored = await sync(a.url, root, [first.dir, second.dir]);
    expect(byRun(restored, first)).toMatchObject({ status: "already-synced", requests: 0, serverId: idA });
    expect(byRun(restored, second)).toMatchObject({
      status: "synced",
      serverId: idA,
      rows: { recovered: 2000, uploaded: 2000, unreadable: 0 },
    });
    expect(await serverRows(a.url, second.id)).toEqual(second.rows);
    expect(await serverRows(a.url, first.id)).toEqual(first.rows);

    // Nothing left for either server.
    expect(await sync(a.url, root)).toEqual([]);
    expect(await sync(b.url, root)).toEqual([]);
  }, 120_000);
});
