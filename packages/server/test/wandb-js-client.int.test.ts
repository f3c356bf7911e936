/**
 * W&B's npm client (`@wandb/sdk`, the version installed as a devDependency), unmodified, against
 * a real Stepwise server process: a Node script (fixtures/wandb/log_run_js.mjs) run as its own
 * process with WANDB_BASE_URL and WANDB_API_KEY only, which calls `wandb.init`, `wandb.log` and
 * `wandb.finish`; what it logged is read back through Stepwise's own HTTP API: every history row,
 * config, summary, name, state and exit code.
 */
import { spawn } from "node:child_process";
import { access, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { WANDB_FIXTURES, useWandb, type HistoryRow } from "./support/wandb-fixture.js";

const SDK_VERSION = (createRequire(import.meta.url)("@wandb/sdk/package.json") as { version: string })
  .version;
const SCRIPT = join(WANDB_FIXTURES, "log_run_js.mjs");

/** One `wandb.log(data, step, commit)` call as the script made it. */
type LogCall = [Record<string, unknown>, number?, boolean?];

interface Logged {
  entity: string;
  project: string;
  id: string;
  name?: string;
  config?: Record<string, unknown>;
  calls: LogCall[];
}

/**
 * The rows @wandb/sdk 0.5.1 makes of the calls (read from its source): a call without a step takes
 * the run's counter (then counts it up), an explicit step sets the counter; `commit: false`, and a
 * step lower than the number of rows sent so far, keep the data for the next row sent (the last
 * `_step` wins); whatever is kept at `finish` is sent then.
 */
function expectedRows(calls: readonly LogCall[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let step = 0;
  let pending: HistoryRow = {};
  for (const [data, explicit, commit] of calls) {
    if (explicit !== undefined) step = explicit;
    pending = { ...pending, ...data, _step: step };
    if (commit !== false && step >= rows.length) {
      rows.push(pending);
      pending = {};
    }
    if (explicit === undefined) step += 1;
  }
  if (Object.keys(pending).length > 0) rows.push(pending);
  return rows;
}

/** A row or summary without the client's own `_runtime` and `_timestamp`. */
function userKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).filter(([key]) => key !== "_runtime" && key !== "_timestamp"),
  );
}

describe(`@wandb/sdk ${SDK_VERSION}`, () => {
  const w = useWandb(`js-${SDK_VERSION}`, "js-client", { python: false });

  async function logRun(
    ...args: string[]
  ): Promise<{ logged: Logged; run: Record<string, unknown>; rows: HistoryRow[] }> {
    const out = join(w.dir, `${args.join("-") || "run"}.json`);
    await w.exec(process.execPath, [SCRIPT, out, ...args], {}, 120_000);
    const logged = JSON.parse(await readFile(out, "utf8")) as Logged;
    const path = `/runs/${logged.entity}/${logged.project}/${logged.id}`;
    const run = parseExtended(await w.api(path)) as Record<string, unknown>;
    return { logged, run, rows: await w.history(path) };
  }

  test("init, log scalars (nested keys, explicit steps, commit=false), finish: Stepwise reads back every row", async () => {
    const { logged, run, rows } = await logRun();
    expect({ entity: logged.entity, project: logged.project }).toEqual({
      entity: "local",
      project: "wandb-js",
    });
    expect(run["state"]).toBe("finished");
    expect(run["exitCode"]).toBe(0);
    expect(run["name"]).toBe("js-client");
    expect(run["config"]).toEqual(logged.config);

    const expected = expectedRows(logged.calls);
    expect(expected.map((row) => row["_step"])).toEqual([0, 1, 2, 5, 8, 9]);
    expect(rows.map(userKeys)).toEqual(expected);
    for (const row of rows) {
      expect(typeof row["_runtime"]).toBe("number");
      expect(typeof row["_timestamp"]).toBe("number");
    }

    // The client sends its whole summary (each key's last value, merged one level deep) with every
    // history request; the stored summary is the last one.
    const summary = expected.reduce<HistoryRow>((merged, row) => ({ ...merged, ...row }), {});
    expect(userKeys(run["summary"] as Record<string, unknown>)).toEqual(summary);
    expect(run["lastStep"]).toBe(9);
  }, 180_000);

  test("finish(1) leaves the run failed with its exit code; NaN and ±Infinity arrive as null (the client's JSON)", async () => {
    const { logged, run, rows } = await logRun("failed");
    expect(logged.project).toBe("wandb-js");
    expect(run["state"]).toBe("failed");
    expect(run["exitCode"]).toBe(1);
    expect(typeof run["name"]).toBe("string");
    expect(run["name"]).not.toBe("");
    // JSON.stringify in the client turns NaN and ±Infinity into null before they leave the process.
    expect(rows.map(userKeys)).toEqual([
      { _step: 0, loss: null, inf: null, ninf: null, x: 1 },
      { _step: 1, x: 2 },
    ]);
  }, 180_000);

  test("steps that repeat or go back are stored as the client sends them, in its order", async () => {
    const { logged, rows } = await logRun("steps");
    const expected = expectedRows(logged.calls);
    // The implicit step after step 10 is 10 again; step 3 is sent (3 rows sent so far); the
    // implicit call after it (step 3 again, 4 rows sent) and step 1 are held back and merged into
    // the step-20 row.
    expect(expected.map((row) => row["_step"])).toEqual([0, 10, 10, 3, 20]);
    expect(expected[4]).toEqual({ d: 5, e: 6, f: 7, _step: 20 });
    expect(rows.map(userKeys)).toEqual(expected);
  }, 180_000);

  test("a script without wandb.finish() stopped with SIGTERM: the client's signal hook finishes the run", async () => {
    // Without finish() the client's sender loop keeps Node running after the script's last line
    // (0.5.1), so a job runner's SIGTERM is what ends such a script.
    const out = join(w.dir, "no-finish.json");
    const child = spawn(process.execPath, [SCRIPT, out, "no-finish"], {
      env: w.env(),
      cwd: w.dir,
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(
      () =>
        access(out).then(
          () => true,
          () => false,
        ),
      60_000,
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const logged = JSON.parse(await readFile(out, "utf8")) as Logged;
    const path = `/runs/${logged.entity}/${logged.project}/${logged.id}`;
    const run = parseExtended(await w.api(path)) as Record<string, unknown>;
    expect(run["name"]).toBe("no-finish");
    expect((await w.history(path)).map(userKeys)).toEqual(expectedRows(logged.calls));
    expect(run["state"]).toBe("finished");
    expect(run["exitCode"]).toBe(0);
  }, 180_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
