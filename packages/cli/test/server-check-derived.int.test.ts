/**
 * `stepwise server --check` (the built bin) reports a stored table or thumbnail whose blob is
 * gone as a note naming the file, and still exits 0: derived data is not damage.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { loadConfig, startServer } from "@stepwise/server";
import { runCli } from "./cli-bin.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-check-derived-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("--check notes stray derived files and exits 0", async () => {
  const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: dir }, {}), {
    log: () => {},
  });
  await server.close();
  const stray = join(dir, "tables", "ab", `${"ab".repeat(32)}.v1.sqlite`);
  await mkdir(join(dir, "tables", "ab"), { recursive: true });
  await writeFile(stray, "left by an old collection");
  const text = await runCli(["server", "--check", "--data", dir]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`note: 1 stored table or thumbnail whose file is gone`);
  expect(text.stdout).toContain(stray);
  expect(text.stdout).toContain("No damage found.");
  const json = await runCli(["server", "--check", "--json", "--data", dir]);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, strayDerivedFiles: [stray] });
});
