/**
 * `stepwise sync` of an offline run whose id the server already has from another process: it is
 * refused (exit 8) and nothing is stored; `--new-id` uploads it as a run of its own; `--resume`
 * appends it to the stored run after its last step, as init()'s resume would. Each check
 * compares the server's rows with the values the runs logged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, init } from "../../src/index.js";
import { main } from "../../src/cli/main.js";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { memoryIo } from "./memory-io.js";

const ID = "shared-id";
let server: TestServer;
let root: string;

beforeAll(async () => {
  server = await startTestServer();
  root = mkdtempSync(join(tmpdir(), "stepwise-sync-conflict-"));
  const stored = await init({ dir: join(root, "online"), baseUrl: server.url, id: ID, project: "p" });
  for (let i = 0; i < 300; i++) stored.log({ who: 1, i });
  stored.summary.set("kept", "from the stored run");
  await stored.finish();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** An offline run under ID that logs `count` rows { who: 2, i }; returns its run directory. */
async function offlineRun(name: string, count: number): Promise<string> {
  const run = await init({ dir: join(root, name), mode: "offline", id: ID, project: "p" });
  for (let i = 0; i < count; i++) run.log({ who: 2, i });
  run.summary.set("offline", true);
  await run.finish();
  return run.dir;
}

async function sync(...args: string[]): Promise<{ code: number; results: Array<Record<string, unknown>> }> {
  const io = memoryIo();
  const code = await main(["sync", "--base-url", server.url, "--json", ...args], io);
  const results = io
    .out()
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, results };
}

async function rowsOf(path: string): Promise<Array<{ who: unknown; i: unknown; _step: unknown }>> {
  const out: Array<{ who: unknown; i: unknown; _step: unknown }> = [];
  for await (const row of (await new Api({ baseUrl: server.url }).run(path)).scanHistory())
    out.push({ who: row.who, i: row.i, _step: row._step });
  return out;
}

function logged(who: number, count: number, fromStep = 0): Array<{ who: number; i: number; _step: number }> {
  return Array.from({ length: count }, (_, i) => ({ who, i, _step: fromStep + i }));
}

describe("stepwise sync of a run id the server has from another process", () => {
  it("is refused with exit 8, stores nothing, and says what to do", async () => {
    const dir = await offlineRun("refused", 200);
    const { code, results } = await sync(dir);
    expect(code).toBe(8);
    expect(results[0]).toMatchObject({ status: "conflict", run: `local/p/${ID}` });
    expect(String(results[0]?.message)).toMatch(/already exists.*--resume.*--new-id/s);
    expect(await rowsOf(`local/p/${ID}`)).toEqual(logged(1, 300));
  });

  it("--new-id uploads it whole as a run of its own, and later syncs go to that run", async () => {
    const dir = await offlineRun("new-id", 200);
    const { code, results } = await sync(dir, "--new-id");
    expect(code).toBe(0);
    const path = String(results[0]?.run);
    expect(path).not.toBe(`local/p/${ID}`);
    expect(await rowsOf(path)).toEqual(logged(2, 200));
    expect(await rowsOf(`local/p/${ID}`)).toEqual(logged(1, 300));
    const again = await sync(dir);
    expect(again.code).toBe(0);
    expect(again.results[0]).toMatchObject({ run: path, status: "already-synced" });
  });

  it("--resume appends it after the stored run's last step and keeps the stored summary", async () => {
    const dir = await offlineRun("resume", 200);
    const { code, results } = await sync(dir, "--resume");
    expect(code).toBe(0);
    expect(results[0]).toMatchObject({ run: `local/p/${ID}`, status: "synced" });
    expect(await rowsOf(`local/p/${ID}`)).toEqual([...logged(1, 300), ...logged(2, 200, 300)]);
    const run = await new Api({ baseUrl: server.url }).run(`local/p/${ID}`);
    expect(run.summary).toMatchObject({ kept: "from the stored run", offline: true });
    const again = await sync(dir);
    expect(again.results[0]).toMatchObject({ status: "already-synced" });
    expect(await rowsOf(`local/p/${ID}`)).toHaveLength(500);
  });
});
