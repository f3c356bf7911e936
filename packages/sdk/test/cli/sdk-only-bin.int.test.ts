/**
 * The SDK's own `stepwise` bin where `@stepwise/cli` is not installed (a training machine that
 * installed only `@stepwise/sdk`): `server` and `migrate` say which package they need instead of
 * "unknown command". The install is real: a node_modules holding this workspace's packages and
 * dependencies except @stepwise/cli (and the server and web it brings), run with
 * --preserve-symlinks so Node resolves from there. Beside @stepwise/cli (the workspace), the SDK
 * bin runs that package's command.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const WORKSPACE_MODULES = fileURLToPath(new URL("../../../../node_modules", import.meta.url));
let dir = "";
let bin = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-sdk-only-"));
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "@stepwise"), { recursive: true });
  for (const name of readdirSync(WORKSPACE_MODULES))
    if (name !== "@stepwise" && name !== ".bin")
      symlinkSync(join(WORKSPACE_MODULES, name), join(modules, name));
  for (const name of ["sdk", "protocol"])
    symlinkSync(join(WORKSPACE_MODULES, "@stepwise", name), join(modules, "@stepwise", name));
  bin = join(modules, "@stepwise", "sdk", "bin", "stepwise.js");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runSdkOnly(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const node = ["--preserve-symlinks", "--preserve-symlinks-main", bin, ...args];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, node, { cwd: dir }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number")
        reject(new Error("could not run the bin", { cause: error }));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

it("server and migrate say they need @stepwise/cli (exit 2), and --help lists both", async () => {
  const server = await runSdkOnly(["server"]);
  expect([server.code, server.stderr]).toEqual([2, expect.stringContaining("it ships in @stepwise/cli")]);
  const migrate = await runSdkOnly(["migrate", "--from", "x", "--to", "postgres://db/x"]);
  expect([migrate.code, migrate.stderr]).toEqual([
    2,
    "stepwise: error: stepwise migrate needs @stepwise/cli, which is not installed here: " +
      "npx @stepwise/cli migrate …  (or: npm install @stepwise/cli)\n",
  ]);
  const help = await runSdkOnly(["--help"]);
  expect(help.stdout).toMatch(
    /\n {2}migrate +copy a server's SQLite data directory .*\(needs @stepwise\/cli\)\n/,
  );
});

it("beside @stepwise/cli, the SDK bin runs its migrate command", async () => {
  const help = await runCli(["migrate", "--help"]);
  expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: stepwise migrate --from/)]);
});
