/**
 * Resume with the real `wandb` client: a script logs a few steps and is SIGKILLed (its whole
 * process group, wandb-core included, as when a machine goes away), then the same run id is run
 * again with resume="allow", killed again, and finished by a third process with resume="must".
 * Stepwise's own API must then hold every step each process logged, once, in order, and every
 * console line each printed (a resumed client must not overwrite the earlier ones).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { WANDB_FIXTURES, useWandb, wandbVersions } from "./support/wandb-fixture.js";

const SCRIPT = join(WANDB_FIXTURES, "resume_run.py");

describe.each(wandbVersions())("wandb %s resume", (version) => {
  const w = useWandb(version, "resume");
  const { history, consoleText } = w;

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
    const ready = join(w.dir, `ready-${mode}-${Date.now()}.json`);
    const child = spawn(w.python, [SCRIPT, runId, mode, String(count), ready, end, String(processNo)], {
      env: w.env(),
      cwd: w.dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const fail = (why: string): Error =>
      new Error(`${why}\nscript output:\n${output}\nserver log:\n${w.server.stderr()}`);
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
    const run = parseExtended(await w.api(path)) as Record<string, unknown>;
    expect(run["state"]).toBe("finished");
    expect((run["config"] as Record<string, unknown>)["seed"]).toBe(7);
    expect((run["summary"] as Record<string, unknown>)["phase"]).toBe(3);
  }, 600_000);
});
