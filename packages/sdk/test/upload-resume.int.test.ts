/**
 * Online runs against a real server: resuming (reference Appendix A16–A18), markPreempting,
 * and the run URL.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun, init, UsageError, type InitOptions } from "../src/index.js";
import {
  fetchHistory,
  fetchRun,
  startServerProcess,
  waitFor,
  type ServerProcess,
} from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
let server: ServerProcess;
let counter = 0;

beforeAll(async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  server = await startServerProcess(mkdtempSync(join(tmpdir(), "stepwise-server-")));
});
afterAll(async () => {
  await getRun()?.finish();
  await server.kill("SIGTERM");
});

function online(options: InitOptions = {}): InitOptions {
  return { dir: tempDir(), project: "resume", baseUrl: server.url, settings: { silent: true }, ...options };
}

function freshId(): string {
  return `r${Date.now().toString(36)}${counter++}`;
}

describe("resume (A16–A18)", () => {
  it.each(["allow", "must"] as const)("resume %s continues at the last step + 1 (A16)", async (mode) => {
    const id = freshId();
    const first = await init(online({ id }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.log({ acc: 10 }, { step: 15 });
    await first.finish();

    const second = await init(online({ id, resume: mode }));
    expect(second.resumed).toBe(true);
    expect(second.startingStep).toBe(16);
    expect(second.summary["acc"]).toBe(10);
    second.log({ acc: 15 });
    await second.finish();

    const start = JSON.parse(readFileSync(join(second.dir, "files", "metadata.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(start).toMatchObject({ resumed: true, startingStep: 16 });
    const rows = await fetchHistory(server.url, { entity: "local", project: "resume", id });
    expect(rows.map((row) => row["_step"])).toEqual([15, 16]);
    expect(rows.map((row) => row["acc"])).toEqual([10, 15]);
    // _runtime continues from the first part's (W&B §1.10), it does not restart at 0.
    const [before, after] = rows.map((row) => row["_runtime"] as number);
    expect(before).toBeGreaterThan(0.25); // the first part ran ≥ 300 ms (timers may fire a little early)
    expect(after).toBeGreaterThan(before as number);
  });

  it("resume must with an unknown id and resume never with an existing id throw UsageError (A17)", async () => {
    await expect(init(online({ id: freshId(), resume: "must" }))).rejects.toThrow(UsageError);
    const id = freshId();
    await (await init(online({ id }))).finish();
    await expect(init(online({ id, resume: "never" }))).rejects.toThrow(UsageError);
    expect(getRun()).toBeNull();
  });

  it("offline with resume starts a new run (A17)", async () => {
    const run = await init(online({ id: freshId(), resume: "must", mode: "offline" }));
    expect(run.resumed).toBe(false);
    await run.finish();
  });

  it("keeps the stored tags unless new ones are given, and merges the config (A18)", async () => {
    const id = freshId();
    await (await init(online({ id, tags: ["old"], config: { lr: 1, layers: 2 } }))).finish();
    const kept = await init(online({ id, resume: "allow", config: { lr: 2 } }));
    expect(kept.tags).toEqual(["old"]);
    expect(kept.config.toJSON()).toEqual({ lr: 2, layers: 2 });
    await kept.finish();
    const replaced = await init(online({ id, resume: "allow", tags: ["new"] }));
    expect(replaced.tags).toEqual(["new"]);
    await replaced.finish();
  });

  it("resume auto remembers the run id and continues it after a failed run", async () => {
    const dir = tempDir();
    const first = await init(online({ dir, resume: "auto" }));
    first.log({ x: 1 });
    await first.finish({ exitCode: 1 });
    const second = await init(online({ dir, resume: "auto" }));
    expect(second.id).toBe(first.id);
    expect(second.resumed).toBe(true);
    await second.finish();
    const third = await init(online({ dir, resume: "auto" }));
    expect(third.id).not.toBe(first.id);
    await third.finish();
  });
});

describe("online run", () => {
  it("markPreempting() makes the server's state preempting while the run is alive", async () => {
    const run = await init(online({ id: freshId() }));
    run.log({ loss: 1 });
    run.markPreempting();
    const ref = { entity: run.entity, project: run.project, id: run.id };
    await waitFor(
      async () => (await fetchRun(server.url, ref))?.["state"] === "preempting",
      5000,
      "preempting",
    );
    await run.finish();
    expect(await fetchRun(server.url, ref)).toMatchObject({ state: "finished" });
  });

  it("has a URL on the server", async () => {
    const run = await init(online({ id: "urlrun1" }));
    expect(run.url).toBe(`${server.url}/local/resume/runs/urlrun1`);
    await run.finish();
  });
});
