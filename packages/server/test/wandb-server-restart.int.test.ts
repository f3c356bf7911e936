/**
 * The Stepwise server SIGKILLed while a real `wandb` client logs to it, then started again on the
 * same data directory and port: the unmodified script (fixtures/wandb/log_through_restart.py)
 * never learns of it but through its own retries, finishes, and the run must hold every row it
 * logged exactly once, in order (requests the dead server had stored but not answered are re-sent
 * by the client and must not be stored twice), and every console line it printed once. One client
 * version (the newest).
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { WANDB_FIXTURES, newestWandbVersion, useWandb } from "./support/wandb-fixture.js";

const ROWS = 600;
const PAUSE_S = 0.01;
/**
 * The server is killed once it holds this many rows; the script logs the second half of its rows
 * only after the kill (it waits for a marker file), so those reach the server through retries.
 */
const KILL_AT = 100;

describe.each([newestWandbVersion()])("wandb %s, server killed mid-run", (version) => {
  const w = useWandb(version, "restart", { fixedPort: true });

  test("the client retries through the restart: every logged row stored exactly once", async () => {
    const out = join(w.dir, "logged.json");
    const killed = join(w.dir, "killed");
    const script = join(WANDB_FIXTURES, "log_through_restart.py");
    const child = spawn(w.python, [script, String(ROWS), String(PAUSE_S), out, killed], {
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
      new Error(`${why}\nscript output:\n${output.slice(-4000)}\nserver log:\n${w.server.stderr()}`);
    try {
      const path = "/runs/local/wandb-restart";
      const deadline = Date.now() + 150_000;
      let runPath = "";
      let storedAtKill = 0;
      while (storedAtKill < KILL_AT) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw fail("the script never logged enough rows");
        await new Promise((resolve) => setTimeout(resolve, 200));
        const runs = JSON.parse(await w.api(path)) as { runs: Array<{ id: string }> };
        if (runs.runs[0] === undefined) continue;
        runPath = `${path}/${runs.runs[0].id}`;
        storedAtKill = (await w.history(runPath)).length;
      }
      await w.restart(2000, () => writeFile(killed, ""));
      const code = await Promise.race([
        exited,
        new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), 240_000)),
      ]);
      if (code !== 0) throw fail(`the script ended with ${String(code)}`);
      // Killed while the script was still logging: the second half arrived after the restart.
      expect(storedAtKill).toBeLessThanOrEqual(ROWS / 2);
      console.log(`server killed with ${storedAtKill} of ${ROWS} rows stored`);

      const logged = JSON.parse(await readFile(out, "utf8")) as {
        id: string;
        rows: Array<Record<string, unknown>>;
      };
      expect(runPath).toBe(`${path}/${logged.id}`);
      const rows = await w.history(runPath);
      const user = rows.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([k]) => k === "_step" || !k.startsWith("_"))),
      );
      expect(user).toEqual(logged.rows.map((row, step) => ({ _step: step, ...row })));
      const lines = (await w.consoleText(runPath)).filter((line) => line.startsWith("row "));
      expect(lines).toEqual(logged.rows.map((_, i) => `row ${i}`));
      const run = parseExtended(await w.api(runPath)) as Record<string, unknown>;
      expect(run["state"]).toBe("finished");
      expect((run["summary"] as Record<string, unknown>)["done"]).toBe(true);
    } finally {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
    }
  }, 600_000);
});
