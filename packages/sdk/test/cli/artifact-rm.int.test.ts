/**
 * `stepwise artifact rm` run as a user's shell would (the built bin) against a real server, then
 * the server's garbage collection: deleting one of two versions that share a file hides it,
 * moves `latest` back, and GC frees only the content the deleted version alone held; the other
 * version still downloads byte-exact (with an empty cache). `rm --all` deletes a collection.
 * `gc` applies a retention policy: a dry run lists what would go and the bytes it frees (shared
 * and repeated content once) and changes nothing; the real run deletes exactly those.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { useTempDirs } from "../support/temp-dir.js";
import { runCli } from "./run-cli.js";

const tempDir = useTempDirs();
let server: TestServer;
const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

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

describe("stepwise artifact rm", () => {
  it("deletes one of two versions sharing a file; GC frees only what it alone held", async () => {
    const data = tempDir();
    mkdirSync(data, { recursive: true });
    const shared = randomBytes(150_000);
    const first = randomBytes(50_000);
    const second = randomBytes(70_000);
    writeFileSync(join(data, "shared.bin"), shared);
    writeFileSync(join(data, "own.bin"), first);
    expect((await cli("put", data, "--name", "team/rm/model", "--type", "model")).stdout).toBe(
      "team/rm/model:v0\n",
    );
    writeFileSync(join(data, "own.bin"), second);
    const v1 = await cli("put", data, "--name", "team/rm/model", "--type", "model", "--alias", "prod");
    expect(v1.stdout).toBe("team/rm/model:v1\n");

    const rm = await cli("rm", "team/rm/model:prod", "--json");
    expect(rm.code, rm.stderr).toBe(0);
    expect(JSON.parse(rm.stdout)).toMatchObject({ version: "v1", aliases: ["latest", "prod"] });
    const left = await cli("ls", "team/rm/model", "--json");
    expect(
      left.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([expect.objectContaining({ version: "v0", aliases: ["latest"] })]);
    expect((await cli("get", "team/rm/model:v1")).code).toBe(4);

    const report = await server.server.collectGarbage({ graceS: 0 });
    expect(report.freed).toContain(sha(second));
    expect(report.freed).not.toContain(sha(shared));
    expect(report.freed).not.toContain(sha(first));

    process.env["STEPWISE_CACHE_DIR"] = tempDir(); // nothing cached: every byte from the server
    const root = join(tempDir(), "out");
    const get = await cli("get", "team/rm/model:latest", "--root", root);
    expect(get.code, get.stderr).toBe(0);
    expect(readFileSync(join(root, "shared.bin")).equals(shared)).toBe(true);
    expect(readFileSync(join(root, "own.bin")).equals(first)).toBe(true);

    // Content freed by GC is uploaded again by a later put of the same files.
    const again = await cli("put", data, "--name", "team/rm/model", "--type", "model", "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "created", version: { version: "v2" } });
  });

  it("rm needs :alias or --all; --all deletes the collection; a missing one exits 4", async () => {
    const data = tempDir();
    writeFileSync(join(data, "x.txt"), "x");
    await cli("put", data, "--name", "team/rm/ds", "--type", "dataset");
    const bare = await cli("rm", "team/rm/ds");
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--all/);
    const all = await cli("rm", "team/rm/ds", "--all", "--json");
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ collection: "team/rm/ds", deleted: 1 });
    expect((await cli("ls", "team/rm")).stdout).toMatch(/^NAME\s+TYPE\s+VERSIONS\s+LATEST\n$/);
    expect((await cli("rm", "team/rm/ds", "--all")).code).toBe(4);
    expect((await cli("rm", "team/rm/ds:v0")).code).toBe(4);
  });

  it("gc: keep the newest 2 and the aliased; --dry-run shows the same versions and bytes, changes nothing", async () => {
    const data = tempDir();
    const shared = randomBytes(100_000);
    writeFileSync(join(data, "shared.bin"), shared);
    const own = [0, 1, 2, 3].map((i) => randomBytes(10_000 + i * 1_000));
    const put = async (i: number, ...extra: string[]): Promise<void> => {
      writeFileSync(join(data, "own.bin"), own[i] ?? Buffer.alloc(0));
      if (i === 1) writeFileSync(join(data, "copy.bin"), own[1] ?? Buffer.alloc(0));
      else rmSync(join(data, "copy.bin"), { force: true });
      const result = await cli("put", data, "--name", "team/gc/m", "--type", "model", ...extra);
      expect(result.stdout).toBe(`team/gc/m:v${i}\n`);
    };
    await put(0, "--alias", "best");
    for (const i of [1, 2, 3]) await put(i);

    const args = ["gc", "team/gc/m", "--keep-last", "2", "--keep-aliased"];
    const dry = await cli(...args, "--dry-run", "--json");
    expect(dry.code, dry.stderr).toBe(0);
    // v1 alone holds own[1] (in two entries): counted once; shared.bin is held by the others.
    expect(JSON.parse(dry.stdout)).toEqual({
      collection: "team/gc/m",
      deleted: ["v1"],
      kept: 3,
      keptBecause: [
        { version: "v3", reasons: ["latest", "keep-last 2"] },
        { version: "v2", reasons: ["keep-last 2"] },
        { version: "v0", reasons: ["aliased best"] },
      ],
      bytesFreed: 11_000,
      dryRun: true,
    });
    const plain = await cli(...args, "--dry-run");
    expect(plain.stdout).toBe("team/gc/m:v1\n");
    expect(plain.stderr).toMatch(/keeps team\/gc\/m:v0 \(aliased best\)/);
    expect((await cli("ls", "team/gc/m", "--json")).stdout.trim().split("\n")).toHaveLength(4);

    const real = await cli(...args);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toBe("team/gc/m:v1\n");
    expect(real.stderr).toMatch(/deleted 1 version, kept 3/);
    const left = (await cli("ls", "team/gc/m", "--json")).stdout.trim().split("\n");
    expect(left.map((line) => (JSON.parse(line) as { version: string }).version)).toEqual(["v3", "v2", "v0"]);
    const report = await server.server.collectGarbage({ graceS: 0 });
    expect(report.freed).toEqual([sha(own[1] ?? Buffer.alloc(0))]);
    // Storage used: each blob once (shared.bin in three versions), the deleted v1 not counted.
    const storage = await fetch(`${server.url}/api/v1/artifact-storage/team/gc`);
    expect(await storage.json()).toEqual({
      collections: [{ name: "m", type: "model", versions: 3, bytes: 135_000, logicalBytes: 335_000 }],
      bytes: 135_000,
      logicalBytes: 335_000,
    });

    expect((await cli("gc", "team/gc/m")).code).toBe(2); // no rule
    expect((await cli("gc", "team/gc/m", "--keep-younger-than", "soon")).code).toBe(2);
    expect((await cli("gc", "team/gc/none", "--keep-last", "1")).code).toBe(4);
  });
});
