/** `stepwise login`: checks the key against a real server and stores it for the SDK and CLI. */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { loadConfig, startServer, type RunningServer } from "@stepwise/server";
import { runCliWith } from "./spawn-cli.js";

let dir = "";
let server: RunningServer;
let adminKey = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-login-"));
  const config = loadConfig({ port: 0, data: join(dir, "data"), trustLoopback: false }, {});
  server = await startServer(config, { log: () => {} });
  adminKey = (await readFile(join(dir, "data", "admin-key"), "utf8")).trim();
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const configDir = (): string => join(dir, "config");

test("--key: verifies the key and writes { baseUrl, apiKey } with mode 0600", async () => {
  const result = await runCliWith(["login", "--host", server.url, "--key", adminKey], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`Logged in to ${server.url} as 'admin'`);
  const path = join(configDir(), "credentials.json");
  expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ baseUrl: server.url, apiKey: adminKey });
  expect((await stat(path)).mode & 0o777).toBe(0o600);
});

test("reads the key from standard input when --key is absent", async () => {
  const result = await runCliWith(["login", "--host", `${server.url}/`], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
    input: `${adminKey}\n`,
  });
  expect(result.code).toBe(0);
  const saved = JSON.parse(await readFile(join(configDir(), "credentials.json"), "utf8")) as {
    baseUrl: string;
  };
  expect(saved.baseUrl).toBe(server.url);
});

test("a key the server refuses is not stored (exit 6)", async () => {
  const result = await runCliWith(["login", "--host", server.url, "--key", "sw_wrong"], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
  });
  expect(result.code).toBe(6);
  expect(result.stderr).toContain("the server refused the key");
  await expect(stat(join(configDir(), "credentials.json"))).rejects.toThrow();
});

test("an unreachable server is exit 7 with a hint; a bad URL is a usage error", async () => {
  await server.close();
  const unreachable = await runCliWith(["login", "--host", server.url, "--key", adminKey], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
  });
  expect(unreachable.code).toBe(7);
  expect(unreachable.stderr).toContain("could not reach");
  const badUrl = await runCliWith(["login", "--host", "ftp://x", "--key", "k"], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
  });
  expect(badUrl.code).toBe(2);
  const noKey = await runCliWith(["login", "--host", server.url], {
    env: { STEPWISE_CONFIG_DIR: configDir() },
  });
  expect(noKey.code).toBe(2);
});
