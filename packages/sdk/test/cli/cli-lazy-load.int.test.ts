/**
 * `stepwise` imports a command's implementation only when that command runs: `--version` and
 * `--help` load none (they used to load all 414 modules of every command), and `export` loads
 * export's own, not artifact's or sync's. Spawns the built bin (build first: npx tsc -b).
 */
import { describe, expect, it } from "vitest";
import { COMMAND_SUMMARIES } from "../../src/cli/commands/command-summaries.js";
import { distModules, runLoggingModules } from "./loaded-modules.js";

const SDK = "packages/sdk";
/** The registry and the summaries are all of commands/ that `--version` and `--help` may load. */
const REGISTRY = ["dist/cli/commands/command-summaries.js", "dist/cli/commands/training-commands.js"];

function commandModules(loaded: string[]): string[] {
  return loaded.filter((path) => path.startsWith("dist/cli/commands/") && !REGISTRY.includes(path));
}

describe("stepwise loads a command only when it runs", () => {
  it("--version loads no command and none of the SDK's run code", async () => {
    const run = await runLoggingModules(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const loaded = distModules(run, SDK);
    expect(loaded).toContain("dist/cli/main.js");
    expect(commandModules(loaded)).toEqual([]);
    expect(loaded.filter((path) => !path.startsWith("dist/cli/"))).toEqual([]);
  });

  it("--help lists every command with its summary without loading any", async () => {
    const run = await runLoggingModules(["--help"]);
    expect(run.code).toBe(0);
    for (const [name, summary] of Object.entries(COMMAND_SUMMARIES))
      expect(run.stdout).toMatch(new RegExp(`\\n {2}${name} +${escape(summary)}\\n`));
    expect(commandModules(distModules(run, SDK))).toEqual([]);
  });

  it("export --help loads export and none of the other commands", async () => {
    const run = await runLoggingModules(["export", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: stepwise export <target>/);
    const loaded = commandModules(distModules(run, SDK));
    expect(loaded).toContain("dist/cli/commands/export.js");
    const others = loaded.filter((path) => !/^dist\/cli\/commands\/export(\.js|\/)/.test(path));
    expect(others).toEqual([]);
  });

  it("an unknown command still exits 2 with the usage and loads no command", async () => {
    const run = await runLoggingModules(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: stepwise <command>/);
    expect(run.stderr).toMatch(/stepwise: error: unknown command 'frobnicate'/);
    expect(commandModules(distModules(run, SDK))).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
