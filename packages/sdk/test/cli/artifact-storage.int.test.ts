/**
 * `stepwise artifact ls <entity/project> --storage` against a real server: per collection the
 * bytes its live versions store (a file repeated across versions once) beside the bytes they
 * list, and the project's total, where a file two collections share counts once.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { useTempDirs } from "../support/temp-dir.js";
import { runCli } from "./run-cli.js";

const tempDir = useTempDirs();
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const cli = (...args: string[]): ReturnType<typeof runCli> =>
  runCli(["artifact", ...args, "--base-url", server.url]);

describe("stepwise artifact ls --storage", () => {
  it("counts each file's content once per collection and once for the project", async () => {
    const shared = randomBytes(60_000);
    const put = async (name: string, type: string, files: Record<string, Buffer>): Promise<void> => {
      const dir = tempDir();
      mkdirSync(dir, { recursive: true });
      for (const [path, bytes] of Object.entries(files)) writeFileSync(join(dir, path), bytes);
      const result = await cli("put", dir, "--name", `team/st/${name}`, "--type", type);
      expect(result.code, result.stderr).toBe(0);
    };
    // ckpt: two versions sharing shared.bin (stored once: 60,000 + 1,000 + 2,000).
    await put("ckpt", "model", { "shared.bin": shared, "own.bin": randomBytes(1_000) });
    await put("ckpt", "model", { "shared.bin": shared, "own.bin": randomBytes(2_000) });
    // data: shared.bin again, in another collection: the project's total counts it once.
    await put("data", "dataset", { "shared.bin": shared, "labels.bin": randomBytes(500) });

    const json = await cli("ls", "team/st", "--storage", "--json");
    expect(json.code, json.stderr).toBe(0);
    // The server's order: by type, then name.
    expect(JSON.parse(json.stdout)).toEqual({
      collections: [
        { name: "data", type: "dataset", versions: 1, bytes: 60_500, logicalBytes: 60_500 },
        { name: "ckpt", type: "model", versions: 2, bytes: 63_000, logicalBytes: 123_000 },
      ],
      bytes: 63_500,
      logicalBytes: 183_500,
    });
    const plain = await cli("ls", "team/st", "--storage");
    expect(plain.stdout.split("\n").map((line) => line.split(/\s{2,}/))).toEqual([
      ["NAME", "TYPE", "VERSIONS", "STORED", "LISTED"],
      ["data", "dataset", "1", "59.1 KiB", "59.1 KiB"],
      ["ckpt", "model", "2", "61.5 KiB", "120.1 KiB"],
      ["(project)", "62.0 KiB", "179.2 KiB"],
      [""],
    ]);
    const one = await cli("ls", "team/st/data", "--storage", "--json");
    expect(
      (JSON.parse(one.stdout) as { collections: { name: string }[] }).collections.map((c) => c.name),
    ).toEqual(["data"]);
    expect((await cli("ls", "team/st/data:v0", "--storage")).code).toBe(2);
  });
});
