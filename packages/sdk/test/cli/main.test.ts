/** main(): dispatch, help and version, and the exit code of each kind of failure. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main, trainingCommands } from "../../src/cli/main.js";
import { memoryIo } from "./memory-io.js";

describe("main", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "stepwise-cli-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("prints usage to stdout for --help and -h, listing export", async () => {
    for (const flag of ["--help", "-h"]) {
      const io = memoryIo();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toMatch(/^Usage: stepwise <command>/);
      expect(io.out()).toMatch(/\n {2}export {4}/);
      expect(io.err()).toBe("");
    }
  });

  it("prints usage to stderr and exits 2 without arguments", async () => {
    const io = memoryIo();
    expect(await main([], io)).toBe(2);
    expect(io.out()).toBe("");
    expect(io.err()).toMatch(/^Usage: stepwise <command>/);
  });

  it("exits 2 for an unknown command or top-level flag, naming it", async () => {
    const io = memoryIo();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.err()).toMatch(/stepwise: error: unknown command 'frobnicate'/);
    const flagIo = memoryIo();
    expect(await main(["--frob"], flagIo)).toBe(2);
    expect(flagIo.err()).toMatch(/stepwise: error: unknown option '--frob'/);
  });

  it("prints the version from package.json", async () => {
    const io = memoryIo();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    // A package that builds its own command from these (@stepwise/cli) prints its own version.
    const own = memoryIo();
    expect(await main(["--version"], own, trainingCommands(), () => "9.8.7")).toBe(0);
    expect(own.out()).toBe("9.8.7\n");
  });

  it("shows a command's help for `help <command>`", async () => {
    const io = memoryIo();
    expect(await main(["help", "export"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: stepwise export <target>/);
  });

  it("exits 4 for a local target that does not exist", async () => {
    const io = memoryIo();
    expect(await main(["export", join(tmp, "nope")], io)).toBe(4);
    expect(io.err()).toMatch(/^stepwise: error: .*nope does not exist/);
  });

  it("reads a server-looking target that is not a local path from the server (exit 7 when unreachable)", async () => {
    const io = memoryIo();
    expect(await main(["export", "team/project/abc123", "--base-url", "http://127.0.0.1:1"], io)).toBe(7);
    expect(io.err()).toMatch(/cannot reach the Stepwise server at http:\/\/127\.0\.0\.1:1/);
  });

  it("exits 3 for a file that is not a run log", async () => {
    const io = memoryIo();
    const bogus = join(tmp, "run-x.swlog");
    writeFileSync(bogus, "not a run log at all");
    expect(await main(["export", bogus], io)).toBe(3);
    expect(io.err()).toMatch(/is not a Stepwise run log/);
  });
});
