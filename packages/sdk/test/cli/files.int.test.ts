/**
 * `stepwise files ls|get|put` run as a user's shell would (the built bin, a child process)
 * against a real server: the table and JSON lines, downloads whose bytes hash to the sha256 of
 * the original, uploads the server then serves with that sha256 (a second put sends nothing),
 * and the exit codes of the catalogue (2 usage, 4 not found, 7 unreachable).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunRef } from "@stepwise/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { uploadRunFile } from "../../src/files/file-client.js";
import { startTestServer, type TestServer } from "../support/api-server.js";
import {
  seedRun,
  serverBytes,
  sha256Of,
  targetOf,
  writeRandomFile,
  type WrittenFile,
} from "../support/run-files.js";
import { freePort } from "../support/server-process.js";
import { useTempDirs } from "../support/temp-dir.js";
import { runCli } from "./run-cli.js";

const tempDir = useTempDirs();
let server: TestServer;
const ref: RunRef = { entity: "team", project: "cli", runId: "r1" };
const RUN = "team/cli/r1";

beforeEach(async () => {
  server = await startTestServer();
  await seedRun(server.url, ref);
});
afterEach(async () => server.close());

async function stored(path: string, size: number): Promise<WrittenFile> {
  const written = writeRandomFile(tempDir(), "f.bin", size);
  await uploadRunFile(targetOf(server.url), ref, {
    path,
    source: { kind: "local", path: written.path },
    size,
    sha256: written.sha256,
  });
  return written;
}

const files = (...args: string[]): ReturnType<typeof runCli> =>
  runCli(["files", ...args, "--base-url", server.url]);

describe("stepwise files", () => {
  it("ls prints a table, and with --json one object per file", async () => {
    const a = await stored("model/a.bin", 2048);
    await stored("notes.txt", 5);
    const table = await files("ls", RUN);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PATH\s+SIZE\s+UPDATED \(UTC\)$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 2))).toEqual([
      ["model/a.bin", "2.0 KiB"],
      ["notes.txt", "5 B"],
    ]);
    const json = await files("ls", RUN, "--json");
    expect(json.code).toBe(0);
    const rows = json.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.find((row) => row["path"] === "model/a.bin")).toMatchObject({ size: 2048, sha256: a.sha256 });
    expect(rows).toHaveLength(2);
  });

  it("get writes each file under --out with the original bytes; a path the run lacks exits 4, the others still come", async () => {
    const a = await stored("model/a.bin", 1_500_000);
    const b = await stored("b.txt", 10);
    const out = tempDir();
    const result = await files("get", RUN, "model/a.bin", "missing.bin", "b.txt", "--out", out);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("no file 'missing.bin'");
    expect(result.stdout.trimEnd().split("\n")).toEqual([join(out, "model", "a.bin"), join(out, "b.txt")]);
    expect(sha256Of(readFileSync(join(out, "model", "a.bin")))).toBe(a.sha256);
    expect(sha256Of(readFileSync(join(out, "b.txt")))).toBe(b.sha256);
    expect(existsSync(join(out, "missing.bin"))).toBe(false);
    const json = await files("get", RUN, "b.txt", "--out", out, "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      path: "b.txt",
      sha256: b.sha256,
      local: join(out, "b.txt"),
    });
  });

  it("put uploads local files (--name for one), and a second put of the same content sends nothing", async () => {
    const local = writeRandomFile(tempDir(), "ckpt.pt", 2_000_000);
    const first = await files("put", RUN, local.path, "--name", "model/ckpt.pt", "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      path: "model/ckpt.pt",
      sha256: local.sha256,
      deduplicated: false,
    });
    expect(sha256Of((await serverBytes(server.url, ref, "model/ckpt.pt")) ?? Buffer.alloc(0))).toBe(
      local.sha256,
    );
    const second = await files("put", RUN, local.path);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("ckpt.pt\n");
    expect(second.stderr).toContain("nothing sent");
    expect(sha256Of((await serverBytes(server.url, ref, "ckpt.pt")) ?? Buffer.alloc(0))).toBe(local.sha256);
  });

  it("exits 4 for a missing local file before uploading any, and for a run the server does not have", async () => {
    const local = writeRandomFile(tempDir(), "there.bin", 100);
    const missing = await files("put", RUN, local.path, join(tempDir(), "absent.bin"));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("absent.bin");
    expect(await serverBytes(server.url, ref, "there.bin")).toBeNull();
    const unknownRun = await files("ls", "team/cli/nobody");
    expect(unknownRun.code).toBe(4);
    expect(unknownRun.stderr).toContain("team/cli/nobody");
  });

  it("exits 2 for bad usage and 7 when the server cannot be reached", async () => {
    expect((await files("ls")).code).toBe(2);
    expect((await files("cp", RUN)).code).toBe(2);
    expect((await files("ls", "team/cli")).code).toBe(2);
    expect((await files("get", RUN, "../up")).code).toBe(2);
    const local = writeRandomFile(tempDir(), "one.bin", 10);
    const twoWithName = await files("put", RUN, local.path, local.path, "--name", "x.bin");
    expect(twoWithName.code).toBe(2);
    expect(twoWithName.stderr).toContain("--name");
    const down = await runCli(["files", "ls", RUN, "--base-url", `http://127.0.0.1:${await freePort()}`]);
    expect(down.code).toBe(7);
    const help = await runCli(["files", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: stepwise files ls");
  });
});
