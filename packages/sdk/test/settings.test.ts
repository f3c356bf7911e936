/** init() options: precedence defaults < environment < options, validation, ids and names. */
import { describe, expect, it, afterEach } from "vitest";
import { UsageError, getRun, init } from "../src/index.js";
import { generateRunId } from "../src/identity/run-id.js";
import { resolveSettings } from "../src/settings/resolve-settings.js";
import { useTempDirs } from "./support/temp-dir.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const tempDir = useTempDirs();
afterEach(async () => {
  await getRun()?.finish();
});

describe("settings precedence", () => {
  it("takes server and key from the `stepwise login` file when options and environment name none", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "credentials.json"),
      JSON.stringify({ baseUrl: "http://10.0.0.5:8080/", apiKey: "sk-1" }),
    );
    const env = { STEPWISE_CONFIG_DIR: dir };
    expect(resolveSettings({}, env)).toMatchObject({ baseUrl: "http://10.0.0.5:8080", apiKey: "sk-1" });
    // The saved key is never sent to another server.
    expect(resolveSettings({ baseUrl: "http://elsewhere:8080" }, env)).toMatchObject({
      baseUrl: "http://elsewhere:8080",
      apiKey: null,
    });
    // A damaged file fails only an init() that needs it.
    writeFileSync(join(dir, "credentials.json"), "{not json");
    expect(() => resolveSettings({}, env)).toThrow(/credentials.json is not valid JSON/);
    expect(resolveSettings({ baseUrl: "http://a:1", apiKey: "k" }, env)).toMatchObject({ apiKey: "k" });
    expect(resolveSettings({ apiKey: "sk-2" }, { ...env, STEPWISE_BASE_URL: "http://x:1" })).toMatchObject({
      baseUrl: "http://x:1",
      apiKey: "sk-2",
    });
  });

  it("uses defaults when nothing is given", () => {
    const settings = resolveSettings({}, {});
    expect(settings).toMatchObject({
      project: "uncategorized",
      mode: "online",
      tags: [],
      group: "",
      resume: null,
    });
  });

  it("lets the environment override defaults and options override the environment", () => {
    const env = {
      STEPWISE_PROJECT: "from-env",
      STEPWISE_ENTITY: "team",
      STEPWISE_MODE: "offline",
      STEPWISE_TAGS: "a, b,,c",
      STEPWISE_RUN_GROUP: "g",
      STEPWISE_JOB_TYPE: "train",
      STEPWISE_NOTES: "n",
      STEPWISE_RUN_ID: "envid",
      STEPWISE_SILENT: "true",
      STEPWISE_DIR: "/tmp/x",
      STEPWISE_BASE_URL: "http://h:1/",
    };
    expect(resolveSettings({}, env)).toMatchObject({
      project: "from-env",
      entity: "team",
      mode: "offline",
      tags: ["a", "b", "c"],
      group: "g",
      jobType: "train",
      notes: "n",
      id: "envid",
      silent: true,
      rootDir: "/tmp/x",
      baseUrl: "http://h:1",
    });
    expect(
      resolveSettings({ project: "opt", tags: ["z"], mode: "disabled", id: "optid" }, env),
    ).toMatchObject({
      project: "opt",
      tags: ["z"],
      mode: "disabled",
      id: "optid",
    });
  });

  it.each([
    [{ project: "a/b" }, /project.*\/ \\ # \? % :/],
    [{ project: "x".repeat(129) }, /invalid project name.*1–128 characters/],
    [{ entity: "x".repeat(129) }, /invalid entity name.*1–128 characters/],
    [{ id: "has/slash" }, /run id/],
    [{ id: " padded" }, /run id/],
    [{ tags: ["ok", "", "y".repeat(65)] }, /tags "", "y{65}"/],
    [{ mode: "nope" }, /mode.*online, offline, disabled/],
    [{ resume: "sometimes" }, /resume/],
  ])("rejects %o with a message naming the option", (options, message) => {
    expect(() => resolveSettings(options as never, {})).toThrow(UsageError);
    expect(() => resolveSettings(options as never, {})).toThrow(message);
  });

  it("counts different tags against the limit of 256, and names that count", () => {
    const tags = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
    const repeated = [...tags(256), ...tags(100)];
    expect(resolveSettings({ tags: repeated }, {}).tags).toEqual(tags(256));
    expect(() => resolveSettings({ tags: [...repeated, "one-more"] }, {})).toThrow(
      /257 different tags; a run has at most 256/,
    );
  });

  it("names the environment variable when the bad value came from it", () => {
    expect(() => resolveSettings({}, { STEPWISE_MODE: "cloud" })).toThrow(/STEPWISE_MODE/);
  });
});

describe("identity", () => {
  it("generates 8-character [a-z0-9] ids that differ", () => {
    const ids = Array.from({ length: 2000 }, () => generateRunId());
    expect(ids.every((id) => /^[a-z0-9]{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names offline runs adjective-noun-N with N counting the project's runs", async () => {
    const dir = tempDir();
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await init({ mode: "offline", dir, project: "count", settings: { silent: true } });
      names.push(run.name);
      await run.finish();
    }
    const other = await init({ mode: "offline", dir, project: "other", settings: { silent: true } });
    names.push(other.name);
    await other.finish();
    expect(names.map((n) => /^[a-z]+-[a-z]+-(\d+)$/.exec(n)?.[1])).toEqual(["1", "2", "3", "1"]);
  });

  it("exposes every Run property", async () => {
    const dir = tempDir();
    const run = await init({
      mode: "offline",
      dir,
      project: "p",
      entity: "e",
      name: "my-run",
      id: "abc123",
      group: "g",
      jobType: "train",
      tags: ["t"],
      notes: "hello",
      settings: { silent: true },
    });
    expect(run).toMatchObject({
      id: "abc123",
      name: "my-run",
      project: "p",
      entity: "e",
      group: "g",
      jobType: "train",
      tags: ["t"],
      notes: "hello",
      path: "e/p/abc123",
      startingStep: 0,
      step: 0,
      resumed: false,
      offline: true,
      disabled: false,
      url: null,
    });
    expect(run.dir).toMatch(/stepwise\/run-\d{8}_\d{6}-abc123$/);
    expect(Math.abs(run.startTime - Date.now() / 1000)).toBeLessThan(5);
    run.name = "renamed";
    run.tags = [...run.tags, "u"];
    run.notes = "changed";
    await run.finish();
    const { readOfflineRun } = await import("../src/index.js");
    expect(readOfflineRun(run.dir).info).toMatchObject({
      name: "renamed",
      tags: ["t", "u"],
      notes: "changed",
      state: "finished",
    });
  });
});
