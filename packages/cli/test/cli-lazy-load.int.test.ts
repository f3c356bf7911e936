/**
 * The full `stepwise` imports `server` and `migrate` (and through them @stepwise/server) only
 * when one of them runs: `--version`, `--help` and `export` never load the server package.
 * Spawns the built bin (build first: npx tsc -b).
 */
import { describe, expect, it } from "vitest";
import { distModules, runLoggingModules } from "../../sdk/test/cli/loaded-modules.js";
import { CLI_BIN } from "./cli-bin.js";

const SERVER_PACKAGE = "packages/server/dist/";

function serverModules(modules: string[]): string[] {
  return modules.filter((url) => url.includes(SERVER_PACKAGE));
}

describe("the full stepwise loads server and migrate only when they run", () => {
  for (const args of [["--version"], ["--help"], ["export", "--help"]])
    it(`${args.join(" ")} loads neither command nor the server package`, async () => {
      const run = await runLoggingModules(args, CLI_BIN);
      expect(run.code).toBe(0);
      expect(distModules(run, "packages/cli")).toEqual([
        "dist/main.js",
        "dist/commands/command-summaries.js",
      ]);
      expect(serverModules(run.modules)).toEqual([]);
    });

  it("--help still lists server and migrate with their summaries", async () => {
    const run = await runLoggingModules(["--help"], CLI_BIN);
    expect(run.stdout).toMatch(
      /\n {2}server +run the Stepwise server \(web UI \+ HTTP API; SQLite \+ local files, or PostgreSQL \/ S3\)\n/,
    );
    expect(run.stdout).toMatch(/\n {2}migrate +copy a SQLite data directory into PostgreSQL/);
  });

  it("migrate --help loads migrate, not server", async () => {
    const run = await runLoggingModules(["migrate", "--help"], CLI_BIN);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: stepwise migrate/);
    const loaded = distModules(run, "packages/cli");
    expect(loaded).toContain("dist/commands/migrate.js");
    expect(loaded).not.toContain("dist/commands/server.js");
  });
});
