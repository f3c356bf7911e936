/** run.log step/commit semantics: reference §2.3–2.8 and Appendix A vectors A1–A6, A25, A27. */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as stepwise from "../src/index.js";
import {
  InvalidDataError,
  UsageError,
  finish,
  getRun,
  init,
  log,
  readOfflineRun,
  withRun,
} from "../src/index.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
afterEach(async () => {
  await getRun()?.finish();
  vi.restoreAllMocks();
});

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("step and commit (Appendix A)", () => {
  it("A1: an explicit step with commit writes exactly one row at that step", async () => {
    const run = await offlineRun(tempDir());
    run.log({ acc: 1 }, { step: 5, commit: true });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ acc: 1, _step: 5 }]);
  });

  it("A2: the upstream multiple-cases example, with two lower-step warnings", async () => {
    const dir = tempDir();
    const run = await init({ mode: "offline", dir, settings: { quiet: true } });
    const stderr = captureStderr();
    run.log({ n: 1 });
    run.log({ n: 11 }, { commit: false });
    run.log({ n: 2 }, { step: 100 });
    run.log({ n: 3 }, { step: 100 });
    run.log({ n: 8 }, { step: 101 });
    run.log({ n: 5 }, { step: 102 });
    run.log({ cool: 2 }, { step: 2 });
    run.log({ cool: 2 }, { step: 4 });
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows.map((r) => r["n"])).toEqual([1, 11, 3, 8, 5]);
    expect(rows.map((r) => r["_step"])).toEqual([0, 1, 100, 101, 102]);
    expect(rows.some((r) => "cool" in r)).toBe(false);
    const warnings = stderr.filter((line) => line.includes("less than the current step"));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("Tried to log to step 2 that is less than the current step 102");
  });

  it.each([
    [
      "commit false then a later step",
      [
        [{ cool: 2 }, { step: 2, commit: false }],
        [{ cool: 2 }, { step: 4 }],
      ],
      [2, 4],
    ],
    [
      "a later step with commit",
      [
        [{ cool: 2 }, { step: 2 }],
        [{ cool: 2 }, { step: 4, commit: true }],
      ],
      [2, 4],
    ],
  ] as const)("%s → two rows", async (_name, calls, steps) => {
    const run = await offlineRun(tempDir());
    for (const [data, options] of calls) run.log({ ...data }, { ...options });
    await run.finish();
    expect(storedRows(run.dir).map((r) => r["_step"])).toEqual(steps);
  });

  it("merges calls at the same step and commits them together", async () => {
    const run = await offlineRun(tempDir());
    run.log({ cool: 2 }, { step: 1 });
    run.log({ cool: 2 }, { step: 4 });
    run.log({ bad: 3 }, { step: 4, commit: true });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([
      { cool: 2, _step: 1 },
      { cool: 2, bad: 3, _step: 4 },
    ]);
  });

  it("drops a call whose step was committed already", async () => {
    const run = await offlineRun(tempDir());
    run.log({ cool: 2 }, { step: 1 });
    run.log({ cool: 2 }, { step: 4, commit: true });
    run.log({ bad: 3 }, { step: 4, commit: true });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([
      { cool: 2, _step: 1 },
      { cool: 2, _step: 4 },
    ]);
  });

  it("A3: commit false then a plain log give one row, and step advances", async () => {
    const run = await offlineRun(tempDir());
    run.log({ a: 1 }, { commit: false });
    run.log({ b: 2 });
    expect(run.step).toBe(1);
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ a: 1, b: 2, _step: 0 }]);
  });

  it("A4: uncommitted values at one step overwrite each other and are flushed at finish", async () => {
    const run = await offlineRun(tempDir());
    run.log({ a: 1 }, { commit: false });
    run.log({ a: 2 }, { commit: false });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ a: 2, _step: 0 }]);
  });

  it("A5: empty logs still make rows with _step, _runtime and _timestamp", async () => {
    const run = await offlineRun(tempDir());
    run.log({});
    run.log({});
    run.log({});
    await run.finish();
    const rows = storedRows(run.dir, true);
    expect(rows.map((r) => Object.keys(r).sort())).toEqual(
      Array(3).fill(["_runtime", "_step", "_timestamp"]),
    );
    expect(rows.map((r) => r["_step"])).toEqual([0, 1, 2]);
  });

  it("A6: logging to a step already passed is dropped with a warning, not an exception", async () => {
    const run = await offlineRun(tempDir());
    run.log({ x: 1 });
    expect(() => run.log({ x: 2 }, { step: 0 })).not.toThrow();
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ x: 1, _step: 0 }]);
  });

  it("the three equivalent ways of logging in the seed page store identical histories", async () => {
    const normal = await offlineRun(tempDir());
    normal.log({ "train-loss": 0.5, accuracy: 0.8 });
    normal.log({ "train-loss": 0.4, accuracy: 0.9 });
    await normal.finish();

    const implicit = await offlineRun(tempDir());
    implicit.log({ "train-loss": 0.5 }, { commit: false });
    implicit.log({ accuracy: 0.8 });
    implicit.log({ "train-loss": 0.4 }, { commit: false });
    implicit.log({ accuracy: 0.9 });
    await implicit.finish();

    const explicit = await offlineRun(tempDir());
    let currentStep = 0;
    explicit.log({ "train-loss": 0.5 }, { step: currentStep });
    explicit.log({ accuracy: 0.8 }, { step: currentStep });
    currentStep += 1;
    explicit.log({ "train-loss": 0.4 }, { step: currentStep });
    explicit.log({ accuracy: 0.9 }, { step: currentStep });
    await explicit.finish();

    const expected = [
      { "train-loss": 0.5, accuracy: 0.8, _step: 0 },
      { "train-loss": 0.4, accuracy: 0.9, _step: 1 },
    ];
    expect(storedRows(normal.dir)).toEqual(expected);
    expect(storedRows(implicit.dir)).toEqual(expected);
    expect(storedRows(explicit.dir)).toEqual(expected);
  });
});

describe("values", () => {
  it("keeps nested objects, keys with / and ., NaN and ±Infinity, strings and null", async () => {
    const run = await offlineRun(tempDir());
    run.log({
      "train/loss": 0.1,
      "a.b": 1,
      nested: { x: { y: 2 } },
      nan: Number.NaN,
      inf: Infinity,
      ninf: -Infinity,
      s: "",
      n: null,
    });
    await run.finish();
    const [row] = storedRows(run.dir);
    expect(row).toEqual({
      "train/loss": 0.1,
      "a.b": 1,
      nested: { x: { y: 2 } },
      nan: Number.NaN,
      inf: Infinity,
      ninf: -Infinity,
      s: "",
      n: null,
      _step: 0,
    });
  });

  it("merges nested objects logged at the same step", async () => {
    const run = await offlineRun(tempDir());
    run.log({ train: { loss: 1 } }, { commit: false });
    run.log({ train: { acc: 2 } });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ train: { loss: 1, acc: 2 }, _step: 0 }]);
  });

  it("adds _timestamp in unix seconds unless the user gives one, and ignores a user _step", async () => {
    const run = await offlineRun(tempDir());
    const before = Date.now() / 1000;
    run.log({ a: 1, _step: 99 });
    run.log({ a: 2, _timestamp: 12 });
    await run.finish();
    const rows = storedRows(run.dir, true);
    expect(rows[0]?.["_step"]).toBe(0);
    expect(rows[0]?.["_timestamp"]).toBeGreaterThanOrEqual(before);
    expect(rows[1]?.["_timestamp"]).toBe(12);
    expect(typeof rows[1]?.["_runtime"]).toBe("number");
  });

  it("converts Date, bigint, typed arrays, Set and Map; leaves out undefined", async () => {
    const run = await offlineRun(tempDir());
    run.log({
      d: new Date(0),
      b: 3n,
      t: new Float32Array([1, 2]),
      s: new Set([1]),
      m: new Map([["k", 1]]),
      u: undefined,
    });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([
      { d: "1970-01-01T00:00:00.000Z", b: 3, t: [1, 2], s: [1], m: { k: 1 }, _step: 0 },
    ]);
  });

  it.each([
    ["a function", { f: () => 1 }, '"f"', "function"],
    ["a symbol", { s: Symbol("x") }, '"s"', "symbol"],
    ["a nested function", { opt: { fn: () => 1 } }, '"opt.fn"', "function"],
    ["a class instance without toJSON", { c: new (class Socket {})() }, '"c"', "Socket"],
  ])("rejects %s naming the key, and keeps nothing of the call", async (_name, data, key, reason) => {
    const run = await offlineRun(tempDir());
    let error: unknown;
    try {
      run.log({ ok: 1, ...data });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidDataError);
    expect((error as Error).message).toContain(key);
    expect((error as Error).message).toContain(reason);
    run.log({ after: 1 });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ after: 1, _step: 0 }]);
  });

  it("rejects circular structures and non-object data", async () => {
    const run = await offlineRun(tempDir());
    const loop: Record<string, unknown> = { a: 1 };
    loop["self"] = loop;
    expect(() => run.log({ loop })).toThrow(/"loop.self".*circular/);
    expect(() => run.log(42 as unknown as Record<string, unknown>)).toThrow(InvalidDataError);
    expect(() => run.log([1] as unknown as Record<string, unknown>)).toThrow(/plain object/);
    expect(() => run.log({ a: 1 }, { step: -1 })).toThrow(/"step"/);
    expect(() => run.log({ a: 1 }, { step: 1.5 })).toThrow(/"step"/);
    expect(() => run.log({ a: 1 }, { commit: "yes" as unknown as boolean })).toThrow(/"commit"/);
  });

  it("keeps keys that differ only by case apart, warning once", async () => {
    const run = await init({ mode: "offline", dir: tempDir(), settings: { quiet: true } });
    const stderr = captureStderr();
    run.log({ Loss: 1, loss: 2 });
    run.log({ Loss: 3, loss: 4 });
    await run.finish();
    expect(storedRows(run.dir).map((r) => [r["Loss"], r["loss"]])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stderr.filter((line) => line.includes("Loss") && line.includes("loss"))).toHaveLength(1);
  });
});

describe("lifecycle of the module-level API", () => {
  it("A27: log after finish throws a UsageError that says nothing was kept, and nothing is; finish is idempotent", async () => {
    const run = await offlineRun(tempDir());
    run.log({ a: 1 });
    await run.finish();
    await run.finish();
    expect(() => run.log({ a: 2, b: 3 })).toThrow(UsageError);
    expect(() => run.log({ a: 2 })).toThrow(
      /^Run \(\w+\) is finished: `log` cannot change it, and nothing of this call was kept\. Call it before finish\(\), or start a new run with init\(\)\.$/,
    );
    expect(() => run.log({ a: 2 })).not.toThrow(/will be ignored/);
    expect(storedRows(run.dir)).toEqual([{ a: 1, _step: 0 }]);
    expect(run.summary.toJSON()).toMatchObject({ a: 1 });
    expect(run.summary.toJSON()).not.toHaveProperty("b");
  });

  it("log() before init() throws; run is a live binding; a second init returns the active run", async () => {
    expect(() => log({ a: 1 })).toThrow(/init\(\) before log\(\)/);
    const first = await offlineRun(tempDir());
    const second = await offlineRun(tempDir(), { project: "other" });
    expect(second).toBe(first);
    expect(getRun()).toBe(first);
    log({ a: 1 });
    await finish();
    expect(getRun()).toBeNull();
    expect(storedRows(first.dir)).toEqual([{ a: 1, _step: 0 }]);
  });

  it("withRun finishes with 0 when the callback resolves, with 1 (rethrowing) when it throws", async () => {
    const ok = await withRun({ mode: "offline", dir: tempDir(), settings: { silent: true } }, async (run) => {
      run.log({ a: 1 });
      return Promise.resolve(run.dir);
    });
    expect(readOfflineRun(ok).info).toMatchObject({ state: "finished", exitCode: 0, historyRows: 1 });
    let failedDir = "";
    await expect(
      withRun({ mode: "offline", dir: tempDir(), settings: { silent: true } }, async (run) => {
        failedDir = run.dir;
        run.log({ a: 1 });
        return Promise.reject(new Error("diverged"));
      }),
    ).rejects.toThrow("diverged");
    expect(readOfflineRun(failedDir).info).toMatchObject({ state: "failed", exitCode: 1, historyRows: 1 });
  });

  it("Symbol.asyncDispose finishes with 0, and the module's run binding follows the active run", async () => {
    const run = await offlineRun(tempDir());
    expect(stepwise.run).toBe(run);
    run.log({ a: 1 });
    await run[Symbol.asyncDispose]();
    expect(stepwise.run).toBeNull();
    expect(readOfflineRun(run.dir).info).toMatchObject({ state: "finished", exitCode: 0 });
  });

  it("A25: a disabled run keeps values in its summary and touches no disk", async () => {
    const dir = tempDir();
    const run = await init({ mode: "disabled", dir, settings: { silent: true } });
    run.log({ a: 1 });
    expect(run.disabled).toBe(true);
    expect(run.name).toBe(`dummy-${run.id}`);
    expect(run.summary.get("a")).toBe(1);
    expect(run.url).toBeNull();
    await run.finish();
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir)).toEqual([]);
  });
});
