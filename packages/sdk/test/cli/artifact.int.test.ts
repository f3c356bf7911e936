/**
 * `stepwise artifact put|get|ls` run as a user's shell would (the built bin, a child process)
 * against a real server: put prints the version and a second put of the same folder sends
 * nothing; ls lists the collection and its versions (table and JSON lines); get writes the
 * bytes that were put; exit codes 2 (usage) and 4 (no such artifact).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { useTempDirs } from "../support/temp-dir.js";
import { runCli } from "./run-cli.js";

const tempDir = useTempDirs();
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
  process.env["STEPWISE_CACHE_DIR"] = tempDir();
});
afterEach(async () => {
  delete process.env["STEPWISE_CACHE_DIR"];
  await server.close();
});

const cli = (...args: string[]): ReturnType<typeof runCli> =>
  runCli(["artifact", ...args, "--base-url", server.url]);

describe("stepwise artifact", () => {
  it("put, put again (nothing sent), ls, get the same bytes", async () => {
    const data = tempDir();
    mkdirSync(join(data, "sub"));
    const a = randomBytes(120_000);
    writeFileSync(join(data, "a.bin"), a);
    writeFileSync(join(data, "sub", "b.txt"), "hello");
    const put = await cli("put", data, "--name", "team/cli/ds", "--type", "dataset", "--alias", "clean");
    expect(put.stderr).toMatch(/logged team\/cli\/ds:v0/);
    expect(put.code).toBe(0);
    expect(put.stdout).toBe("team/cli/ds:v0\n");
    const again = await cli("put", data, "--name", "team/cli/ds", "--type", "dataset", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: "unchanged",
      bytesSent: 0,
      version: { version: "v0" },
    });

    const ls = await cli("ls", "team/cli");
    expect(ls.stdout).toMatch(/^NAME\s+TYPE\s+VERSIONS\s+LATEST\nds\s+dataset\s+1\s+v0\n$/);
    const versions = await cli("ls", "team/cli/ds", "--json");
    expect(JSON.parse(versions.stdout)).toMatchObject({
      version: "v0",
      aliases: ["latest", "clean"],
      fileCount: 2,
    });

    const root = join(tempDir(), "out");
    const get = await cli("get", "team/cli/ds:clean", "--root", root);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`${root}\n`);
    expect(readFileSync(join(root, "a.bin")).equals(a)).toBe(true);
    expect(readFileSync(join(root, "sub", "b.txt"), "utf8")).toBe("hello");
  });

  it("exit codes: 2 for usage, 4 for an artifact the server does not have", async () => {
    expect((await cli("put", tempDir(), "--type", "dataset")).code).toBe(2);
    expect((await cli("fetch", "x")).code).toBe(2);
    const missing = await cli("get", "team/cli/nothing:latest");
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/nothing/);
    const help = await runCli(["artifact", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: stepwise artifact put/);
  });
});
