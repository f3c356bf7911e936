/**
 * `stepwise export` end to end: a real offline run written by the real SDK, exported by the
 * built bin in a child process. Needs `npx tsc -b` first (the bin runs packages/sdk/dist/cli).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseExtended } from "@stepwise/protocol";
import { init } from "@stepwise/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli, runShell } from "./run-cli.js";

let tmp: string;
let runDir: string;
let runId: string;
let runName: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "stepwise-export-"));
  const run = await init({
    mode: "offline",
    dir: tmp,
    project: "p",
    config: { lr: 0.1 },
    settings: { silent: true },
  });
  run.log({ loss: 1, nested: { a: 2 } });
  run.log({ loss: Number.NaN });
  await run.finish();
  runDir = run.dir;
  runId = run.id;
  runName = run.name;
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lines(text: string): string[] {
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

describe("stepwise export (history)", () => {
  it("prints every row as extended JSON lines by default, NaN as a bare token", async () => {
    const { code, stdout, stderr } = await runCli(["export", runDir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const [first, second, ...rest] = lines(stdout);
    expect(rest).toEqual([]);
    expect(parseExtended(first ?? "")).toMatchObject({ _step: 0, loss: 1, nested: { a: 2 } });
    expect(second).toMatch(/"loss":NaN[,}]/);
    const row = parseExtended(second ?? "") as Record<string, unknown>;
    expect(row["_step"]).toBe(1);
    expect(row["loss"]).toBeNaN();
    expect(typeof row["_runtime"]).toBe("number");
    expect(typeof row["_timestamp"]).toBe("number");
  });

  it("accepts the stepwise/ folder and latest-run as the target", async () => {
    const direct = await runCli(["export", runDir]);
    for (const target of [join(tmp, "stepwise"), join(tmp, "stepwise", "latest-run")]) {
      const { code, stdout } = await runCli(["export", target]);
      expect(code).toBe(0);
      expect(stdout).toBe(direct.stdout);
    }
  });

  it("writes CSV with dotted columns, _step first, _runtime and _timestamp last", async () => {
    const { code, stdout, stderr } = await runCli(["export", runDir, "--format", "csv"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const [header, first, second, ...rest] = lines(stdout);
    expect(rest).toEqual([]);
    expect(header).toBe("_step,loss,nested.a,_runtime,_timestamp");
    expect(first).toMatch(/^0,1,2,[\d.e+-]+,[\d.e+-]+$/);
    expect(second).toMatch(/^1,NaN,,[\d.e+-]+,[\d.e+-]+$/);
  });

  it("keeps only --keys plus _step and skips rows without them", async () => {
    const jsonl = await runCli(["export", runDir, "--keys", "nested.a"]);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout).toBe('{"_step":0,"nested":{"a":2}}\n');
    const csv = await runCli(["export", runDir, "--format", "csv", "--keys", "loss"]);
    expect(csv.stdout).toBe("_step,loss\n0,1\n1,NaN\n");
  });

  it("a --keys key no row holds is named with the run's keys: a warning, or exit 4 when no key is held", async () => {
    const partly = await runCli(["export", runDir, "--keys", "loss,los"]);
    expect(partly.code).toBe(0);
    expect(lines(partly.stdout)).toHaveLength(2);
    expect(partly.stderr).toBe(
      "stepwise: warning: --keys los: no history row holds this key; the run's keys are loss, nested.a\n",
    );
    for (const format of ["jsonl", "csv"]) {
      const out = join(tmp, `none.${format}`);
      const none = await runCli([
        "export",
        runDir,
        "--format",
        format,
        "--keys",
        "val/acc,nested.b",
        "--out",
        out,
      ]);
      expect(none.code).toBe(4);
      expect(none.stderr).toBe(
        "stepwise: error: --keys val/acc,nested.b: no history row holds these keys; the run's keys are loss, nested.a\n",
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("writes --out atomically and leaves no temporary file", async () => {
    const out = join(tmp, "history.jsonl");
    const { code, stdout, stderr } = await runCli(["export", runDir, "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toBe(`wrote 2 history rows to ${out}\n`);
    expect(readFileSync(out, "utf8")).toBe((await runCli(["export", runDir])).stdout);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });

  it("counts one row in the singular", async () => {
    const out = join(tmp, "one-row.jsonl");
    const { code, stderr } = await runCli(["export", runDir, "--keys", "nested.a", "--out", out]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: `wrote 1 history row to ${out}\n` });
  });

  it("writes --out into a named pipe directly, leaving the pipe a pipe (as /dev/null stays a device)", async () => {
    const fifo = join(tmp, "history.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // The reader opens the pipe while the export writes into it.
    const reader = runShell(`cat "${fifo}"`);
    const { code, stderr } = await runCli(["export", runDir, "--out", fifo]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: `wrote 2 history rows to ${fifo}\n` });
    expect((await reader).stdout).toBe((await runCli(["export", runDir])).stdout);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(existsSync(`${fifo}.tmp`)).toBe(false);
  });

  it("exits 4 before reading when the --out folder does not exist", async () => {
    const out = join(tmp, "no-such-folder", "h.jsonl");
    const { code, stdout, stderr } = await runCli(["export", runDir, "--out", out]);
    expect({ code, stdout }).toEqual({ code: 4, stdout: "" });
    expect(stderr).toMatch(
      /^stepwise: error: cannot write .*h\.jsonl: the folder .*no-such-folder does not exist\n$/,
    );
  });

  it("exits 0 quietly when the reader closes the pipe early (| head)", async () => {
    const big = mkdtempSync(join(tmpdir(), "stepwise-export-big-"));
    try {
      const run = await init({ mode: "offline", dir: big, project: "p", settings: { silent: true } });
      for (let i = 0; i < 20_000; i++) run.log({ loss: 1 / (i + 1), text: "x".repeat(40) });
      await run.finish();
      const script = `"${process.execPath}" "${BIN}" export "${run.dir}" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
      const { stdout, stderr } = await runShell(script);
      expect(stdout).toBe("0\n");
      expect(stderr).toBe("");
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it("notes a torn tail on stderr and still exports the rows (exit 0)", async () => {
    const copy = join(tmp, "torn-run");
    cpSync(runDir, copy, { recursive: true });
    const log = readdirSync(copy).find((name) => name.endsWith(".swlog"));
    if (log === undefined) throw new Error("no run log in the run directory");
    truncateSync(join(copy, log), statSync(join(copy, log)).size - 3);
    const { code, stdout, stderr } = await runCli(["export", copy]);
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(2);
    expect(stderr).toBe(
      "note: the log ends with an incomplete write (the run was interrupted or is still running); 2 rows recovered\n",
    );
  });

  it("warns about a damaged region, exports every intact row, and exits 0", async () => {
    const copy = join(tmp, "damaged-run");
    cpSync(runDir, copy, { recursive: true });
    const log = join(copy, readdirSync(copy).find((name) => name.endsWith(".swlog")) ?? "missing.swlog");
    // Garbage between two frames (before the last one, the exit record): the reader must skip
    // it and resynchronise on the next frame marker ("SWR1", see the SDK's log-format.ts).
    const bytes = readFileSync(log);
    const lastFrame = bytes.lastIndexOf("SWR1");
    expect(lastFrame).toBeGreaterThan(0);
    writeFileSync(
      log,
      Buffer.concat([bytes.subarray(0, lastFrame), Buffer.alloc(16, 0x5a), bytes.subarray(lastFrame)]),
    );
    const { code, stdout, stderr } = await runCli(["export", copy]);
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(2);
    expect(stderr).toMatch(/^warning: .*\.swlog at offset \d+ \(16 bytes\): .+\n$/);
  });
});

describe("stepwise export (single objects)", () => {
  it("prints the summary as one JSON object", async () => {
    const { code, stdout } = await runCli(["export", runDir, "--what", "summary"]);
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(1);
    expect(parseExtended(stdout)).toHaveProperty("loss");
  });

  it("prints the config as one JSON object", async () => {
    const { code, stdout } = await runCli(["export", runDir, "--what", "config"]);
    expect(code).toBe(0);
    expect(lines(stdout)).toHaveLength(1);
    expect(parseExtended(stdout)).toMatchObject({ lr: 0.1 });
  });

  it("prints exactly the run metadata fields sdk.md names", async () => {
    const { code, stdout } = await runCli(["export", runDir, "--what", "run"]);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([
      "id",
      "name",
      "project",
      "entity",
      "state",
      "exitCode",
      "group",
      "jobType",
      "tags",
      "notes",
      "startTime",
      "lastStep",
    ]);
    expect(info).toMatchObject({
      id: runId,
      name: runName,
      project: "p",
      state: "finished",
      exitCode: 0,
      lastStep: 1,
    });
  });
});

describe("stepwise export (failures and help)", () => {
  it("exits 4 with a message on stderr for a path that does not exist", async () => {
    const { code, stdout, stderr } = await runCli(["export", join(tmp, "no-such-run")]);
    expect(code).toBe(4);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^stepwise: error: .*no-such-run does not exist/);
  });

  it("exits 2 for an unknown flag, naming it and pointing at the help", async () => {
    const { code, stdout, stderr } = await runCli(["export", runDir, "--colour"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "stepwise: error: unknown option '--colour'\nRun 'stepwise export --help' for usage.\n",
    );
  });

  it("prints the help on stdout with --help", async () => {
    const { code, stdout, stderr } = await runCli(["export", "--help"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^Usage: stepwise export <target> \[options\]/);
    expect(stdout).toMatch(/Examples:/);
  });
});
