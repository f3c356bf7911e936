/**
 * The limits table (protocol limits.ts) is enforced where the user calls: each over-limit call
 * throws a typed error naming the field, the limit and the fix, and nothing of it reaches the
 * run log (compared byte for byte), so no record the SDK keeps can later be refused by the
 * server. Values at the limit are kept and read back as logged.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidDataError, UsageError, getRun, init, readOfflineRun, type Run } from "../src/index.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
afterEach(async () => {
  await getRun()?.finish();
});

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

const LONG_KEY = "k".repeat(1025);

/** The run log's bytes once everything logged so far is on disk. */
async function logBytes(run: Run): Promise<Buffer> {
  await run.status(); // flushes the writer
  return readFileSync(`${run.dir}/run-${run.id}.swlog`);
}

describe("init() options", () => {
  it.each([
    [{ name: "n".repeat(257) }, /"name" is 257 characters; a run name has at most 256/],
    [{ name: "evil\u202eexe" }, /"name" holds U\+202E.*remove it/],
    [{ group: "g".repeat(257) }, /"group" is 257 characters/],
    [{ group: "a\u2066b" }, /"group" holds U\+2066/],
    [{ jobType: "train\u0000" }, /"jobType" holds U\+0000/],
    [{ tags: ["ok", "t".repeat(65)] }, /tag .* has at most 64/],
    [{ tags: ["x\u200f"] }, /U\+200F/],
    [{ notes: "n".repeat(1_000_001) }, /"notes" are 1000001 characters; notes hold at most 1000000/],
    [{ project: "p\u202e" }, /invalid project name.*bidirectional/],
    [{ entity: "team\u0007" }, /invalid entity name/],
    [{ id: "run\u2067" }, /invalid run id.*bidirectional/],
  ])("%# is refused with a UsageError before any run starts", async (options, message) => {
    const dir = tempDir();
    await expect(offlineRun(dir, options)).rejects.toThrow(UsageError);
    await expect(offlineRun(dir, options)).rejects.toThrow(message);
    expect(getRun()).toBeNull();
  });

  it("a config deeper than the limit is refused at init()", async () => {
    await expect(offlineRun(tempDir(), { config: { deep: nested(101) } })).rejects.toThrow(
      /nests deeper than 100/,
    );
  });
});

describe("calls on a run", () => {
  it("each over-limit call throws, names the field and limit, and leaves the run log unchanged", async () => {
    const run = await offlineRun(tempDir(), { config: { lr: 0.1 } });
    run.log({ loss: 1 });
    const before = await logBytes(run);
    const refusals: Array<[() => void, typeof UsageError | typeof InvalidDataError, RegExp]> = [
      [
        () => (run.name = "n".repeat(257)),
        UsageError,
        /run\.name is 257 characters; a run name has at most 256/,
      ],
      [() => (run.name = "a\u202eb"), UsageError, /run\.name holds U\+202E/],
      [() => (run.tags = ["fine", "t".repeat(65)]), UsageError, /run\.tags: the tag .* at most 64/],
      [() => (run.tags = ["\u2068x"]), UsageError, /U\+2068/],
      [() => (run.notes = "n".repeat(1_000_001)), UsageError, /run\.notes are 1000001 characters/],
      [
        () => run.log({ ok: 2, [LONG_KEY]: 1 }),
        InvalidDataError,
        /log\(\): the key "k+…" is 1025 characters long; a key has at most 1024/,
      ],
      [() => run.log({ "": 1 }), InvalidDataError, /log\(\): the key "" is empty/],
      // PostgreSQL cannot hold U+0000 in a key: refused on every backend, here at the call.
      [() => run.log({ ok: 2, "a\u0000b": 1 }), InvalidDataError, /log\(\): the key .* holds U\+0000/],
      [() => run.config.update({ "a\u0000b": 1 }), InvalidDataError, /config: the key .* holds U\+0000/],
      [() => run.summary.set(["a", "\u0000"], 1), InvalidDataError, /summary: the key .* holds U\+0000/],
      [() => (run.notes = "a\u0000b"), UsageError, /run\.notes hold U\+0000/],
      [
        () => run.log({ ok: 2, deep: nested(101) }),
        InvalidDataError,
        /log\(\): the value at key "deep" nests deeper than 100 levels/,
      ],
      [
        () => run.log({ ok: 2, media: { inner: { [LONG_KEY]: 1 } } }),
        InvalidDataError,
        /inside "media\.inner" is 1025/,
      ],
      [
        () => run.config.update({ fine: 1, deep: nested(101) }),
        InvalidDataError,
        /config: the value at key "deep" nests deeper/,
      ],
      [() => run.config.update({ [LONG_KEY]: 1 }), InvalidDataError, /config: the key .* at most 1024/],
      [
        () => run.summary.update({ s: nested(101) }),
        InvalidDataError,
        /summary: the value at key "s" nests deeper/,
      ],
      [() => run.summary.set(["a", LONG_KEY], 1), InvalidDataError, /summary: the key .* at most 1024/],
      [() => run.summary.set(["a", "b"], nested(100)), InvalidDataError, /counted from "a"/],
    ];
    for (const [call, type, message] of refusals) {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
    }
    expect((await logBytes(run)).equals(before)).toBe(true);
    expect(run.name).not.toMatch(/\u202e/);
    expect(run.config.toJSON()).toEqual({ lr: 0.1 });
    await run.finish();
  });

  it("values at the limits are kept and read back as logged", async () => {
    const run = await offlineRun(tempDir());
    const edge = { deep: nested(100), ["k".repeat(1024)]: 1 };
    run.name = "n".repeat(256);
    run.tags = ["t".repeat(64), "שלום"];
    run.config.update({ edge: nested(100) });
    run.summary.update({ s: nested(100) });
    run.log(edge);
    await run.finish();
    const stored = readOfflineRun(run.dir);
    expect(storedRows(run.dir)[0]).toMatchObject(edge);
    expect(stored.config).toEqual({ edge: nested(100) });
    expect(run.name).toBe("n".repeat(256));
  });
});

describe("disabled runs", () => {
  it("check the same limits (code that works disabled works online)", async () => {
    const run = await init({ mode: "disabled" });
    expect(() => run.log({ [LONG_KEY]: 1 })).toThrow(InvalidDataError);
    await run.finish();
  });
});
