/**
 * `stepwise server` as a user runs it: prints its URL and the admin key's place, serves, stops on a
 * signal; and `@stepwise/cli --version` prints this package's version.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { collect, waitForLine } from "../../sdk/test/cli/spawn-cli.js";
import { runCli, startCli } from "./cli-bin.js";

let dir = "";
const started: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-server-cli-"));
});
afterEach(async () => {
  // A failed assertion must not leave a server running.
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

function serve(args: string[]): ReturnType<typeof startCli> {
  const child = startCli(["server", "--port", "0", ...args]);
  started.push(child);
  return child;
}

test("prints the bound URL and the admin key file, serves, and exits 0 on SIGTERM", async () => {
  const child = serve(["--data", dir]);
  const done = collect(child);
  const [, url] = await waitForLine(child, /listening on (http:\/\/127\.0\.0\.1:\d+)[^]*Admin API key: .+\n/);
  const viewer = await fetch(`${url}/api/v1/viewer`);
  expect(viewer.status).toBe(200);
  const key = (await readFile(join(dir, "admin-key"), "utf8")).trim();
  const withKey = await fetch(`${url}/api/v1/viewer`, { headers: { authorization: `Bearer ${key}` } });
  expect(await withKey.json()).toMatchObject({ admin: true, via: "key" });
  child.kill("SIGTERM");
  const result = await done;
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`Admin API key: ${join(dir, "admin-key")}`);
  expect(result.stderr).toContain("stopped");
});

test('"Admin API key written to" only on the start that wrote it; every start says where it is', async () => {
  const starts: Array<{ stdout: string; stderr: string }> = [];
  for (let i = 0; i < 2; i++) {
    const child = serve(["--data", dir]);
    const done = collect(child);
    await waitForLine(child, /Admin API key: .+\n/);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    starts.push(result);
  }
  const path = join(dir, "admin-key");
  expect(starts[0]?.stderr).toContain(`Admin API key written to ${path}`);
  expect(starts[1]?.stderr).not.toContain("written to");
  for (const start of starts) expect(start.stdout).toContain(`Admin API key: ${path}\n`);
});

test("--no-loopback-trust requires a key from this machine too", async () => {
  const child = serve(["--data", dir, "--no-loopback-trust"]);
  const done = collect(child);
  const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/);
  expect((await fetch(`${url}/api/v1/viewer`)).status).toBe(401);
  child.kill("SIGINT");
  expect((await done).code).toBe(0);
});

test("a bad option is a usage error (exit 2) naming it", async () => {
  const result = await runCli(["server", "--port", "http", "--data", dir]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("--port must be an integer from 0 to 65535");
});

test("the slow-client flags reach the server: a bad value names its flag, a cap of 1 closes a second connection", async () => {
  for (const flag of [
    "--headers-timeout",
    "--request-timeout",
    "--idle-timeout",
    "--max-connections-per-client",
  ]) {
    const result = await runCli(["server", "--port", "0", "--data", dir, flag, "soon"]);
    expect(result.code, flag).toBe(2);
    expect(result.stderr).toContain(flag);
  }
  const child = serve(["--data", dir, "--max-connections-per-client", "1"]);
  const [, port] = await waitForLine(child, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const first = connect(Number(port));
  await once(first, "connect");
  const second = connect(Number(port));
  await once(second, "close");
  expect(first.destroyed).toBe(false);
  first.destroy();
  child.kill("SIGTERM");
  await collect(child);
});

test("the body-size and artifact-retention flags reach the server: a bad value names its flag, a small body cap refuses a larger body", async () => {
  const policies = join(dir, "policies.json");
  await writeFile(policies, JSON.stringify([{ collection: "local" }]));
  for (const [flag, value] of [
    ["--max-body-bytes", "soon"],
    ["--max-decompressed-bytes", "soon"],
    ["--artifact-retention-interval", "soon"],
    ["--artifact-retention-policies", policies],
  ] as const) {
    const result = await runCli(["server", "--port", "0", "--data", dir, flag, value]);
    expect([result.code, result.stderr], flag).toEqual([2, expect.stringContaining(flag)]);
    expect(result.stderr, flag).not.toContain("unknown option");
  }
  const child = serve(["--data", dir, "--max-body-bytes", "2048", "--max-decompressed-bytes", "4096"]);
  const done = collect(child);
  const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/);
  const body = JSON.stringify({ name: "x".repeat(3000), entity: "local" });
  const refused = await fetch(`${url}/api/v1/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  expect(refused.status).toBe(413);
  // The message names the flag that was just used to set the limit.
  expect(await refused.text()).toMatch(/larger than 2048 bytes.*--max-body-bytes/);
  child.kill("SIGTERM");
  expect((await done).code).toBe(0);
});

test("a port in use is a usage error (exit 2) naming the port and --port, not a stack trace", async () => {
  const first = serve(["--data", dir]);
  const done = collect(first);
  const [, port] = await waitForLine(first, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const second = await runCli(["server", "--port", port ?? "", "--data", join(dir, "other")]);
  expect(second.code).toBe(2);
  expect(second.stderr).toBe(
    `stepwise: error: port ${port} on 127.0.0.1 is in use (EADDRINUSE): stop what is listening there, ` +
      "or choose another port with --port <n> (or STEPWISE_PORT; --port 0 picks a free one)\n",
  );
  first.kill("SIGTERM");
  await done;
});

test("--web-root serves that UI build, and a missing build gets the page that says how to build it", async () => {
  const web = join(dir, "web");
  await mkdir(join(web, "assets"), { recursive: true });
  await writeFile(join(web, "index.html"), "<!doctype html><title>test build</title>");
  const child = serve(["--data", join(dir, "data"), "--web-root", web]);
  const done = collect(child);
  const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/);
  const page = await fetch(`${url}/local/project/runs/abc`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("test build");
  child.kill("SIGTERM");
  await done;

  const bare = serve(["--data", join(dir, "data"), "--web-root", join(dir, "nothing")]);
  const bareDone = collect(bare);
  const [, bareUrl] = await waitForLine(bare, /listening on (http:\/\/\S+)/);
  expect(await (await fetch(`${bareUrl}/`)).text()).toContain("npm run build -w @stepwise/web");
  bare.kill("SIGTERM");
  expect((await bareDone).stdout).toContain("The web UI is not built");
});

test("--version prints this package's version", async () => {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  const result = await runCli(["--version"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(`${manifest.version}\n`);
});
