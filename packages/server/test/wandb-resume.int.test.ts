/**
 * Resume with the real `wandb` client: a script logs a few steps and is SIGKILLed (its whole
 * process group, wandb-core included, as when a machine goes away), then the same run id is run
 * again with resume="allow", killed again, and finished by a third process with resume="must".
 * Stepwise's own API must then hold every step each process logged, once, in order, and every
 * console line each printed (a resumed client must not overwrite the earlier ones).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";
import { WANDB_VERSIONS, wandbPython } from "./support/wandb-venv.js";

const SCRIPT = join(import.meta.dirname, "fixtures", "wandb", "resume_run.py");
const only = process.env["STEPWISE_WANDB_VERSION"];
const versions = WANDB_VERSIONS.filter((v) => only === undefined || v === only);

describe.each(versions)("wandb %s resume", (version) => {
  let server: ServerProcess;
  let dir: string;
  let key: string;
  let python: string;

  beforeAll(async () => {
    python = await wandbPython(version);
    dir = await mkdtemp(join(tmpdir(), "stepwise-wandb-resume-"));
    server = await startServerProcess(join(dir, "data"));
    key = (await readFile(join(dir, "data", "admin-key"), "utf8")).trim();
  }, 900_000);

  afterAll(async () => {
    await server?.stop("SIGTERM");
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const api = async (path: string): Promise<string> => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return text;
  };
  const history = async (path: string): Promise<Array<Record<string, unknown>>> =>
    (await api(`${path}/history?format=ndjson`))
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => parseExtended(line) as Record<string, unknown>);
  const consoleText = async (path: string): Promise<string[]> =>
    (JSON.parse(await api(`${path}/console`)) as { lines: Array<{ text: string }> }).lines.map((l) => l.text);

  /**
   * One process of the run; "hang" processes are SIGKILLed (with wandb-core) once the server holds
   * `rowsBefore + count` rows and their console lines, so nothing they logged is still in flight.
   */
  const phase = async (
    runId: string,
    mode: string,
    count: number,
    end: "hang" | "finish",
    processNo: number,
    rowsBefore: number,
  ): Promise<void> => {
    const ready = join(dir, `ready-${mode}-${Date.now()}.json`);
    const env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      WANDB_BASE_URL: server.url,
      WANDB_API_KEY: key,
      WANDB_DIR: dir,
      WANDB_CONFIG_DIR: join(dir, "config"),
      WANDB_CACHE_DIR: join(dir, "cache"),
    };
    const child = spawn(python, [SCRIPT, runId, mode, String(count), ready, end, String(processNo)], {
      env,
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const fail = (why: string): Error =>
      new Error(`${why}\nscript output:\n${output}\nserver log:\n${server.stderr()}`);
    const deadline = Date.now() + 150_000;
    try {
      if (end === "finish") {
        const code = await exited;
        if (code !== 0) throw fail(`the ${mode} script exited with ${code}`);
        return;
      }
      while (!existsSync(ready)) {
        if (Date.now() > deadline || child.exitCode !== null) throw fail(`the ${mode} script did not log`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const path = `/runs/local/wandb-resume/${runId}`;
      for (;;) {
        const rows = await history(path);
        const lines = await consoleText(path);
        const last = `line ${count - 1} of process ${processNo}`;
        if (rows.length >= rowsBefore + count && lines.includes(last)) break;
        if (Date.now() > deadline) throw fail(`the server never got the ${mode} script's steps`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
    }
  };

  test("killed, resumed with allow, killed, resumed with must: every step and line once", async () => {
    const runId = `resume${version.replaceAll(".", "")}`;
    const path = `/runs/local/wandb-resume/${runId}`;
    await phase(runId, "allow", 4, "hang", 1, 0);
    await phase(runId, "allow", 3, "hang", 2, 4);
    await phase(runId, "must", 2, "finish", 3, 7);

    const rows = await history(path);
    expect(rows.map((row) => [row["_step"], row["phase"], row["i"]])).toEqual([
      [0, 1, 0],
      [1, 1, 1],
      [2, 1, 2],
      [3, 1, 3],
      [4, 2, 0],
      [5, 2, 1],
      [6, 2, 2],
      [7, 3, 0],
      [8, 3, 1],
    ]);
    const lines = (await consoleText(path)).filter((line) => line.startsWith("line "));
    expect(lines).toEqual([
      ...[0, 1, 2, 3].map((i) => `line ${i} of process 1`),
      ...[0, 1, 2].map((i) => `line ${i} of process 2`),
      ...[0, 1].map((i) => `line ${i} of process 3`),
    ]);
    const run = parseExtended(await api(path)) as Record<string, unknown>;
    expect(run["state"]).toBe("finished");
    expect((run["config"] as Record<string, unknown>)["seed"]).toBe(7);
    expect((run["summary"] as Record<string, unknown>)["phase"]).toBe(3);
  }, 600_000);
});
