/**
 * The real install path, as a user outside this repository takes it: every package is packed with
 * `npm pack`, the tarballs are installed into fresh projects under the system temp directory (no
 * workspace links, no access to this repository's node_modules), and then:
 * - a server project that installed only `@stepwise/cli` runs `npx @stepwise/cli server`;
 * - a training project that installed only `@stepwise/sdk` (no native addon in its tree) runs the
 *   README's quickstart against that server, syncs an offline run with `npx stepwise sync`, and
 *   reads both back with `npx stepwise export`, compared with what the scripts logged.
 * Each project names one tarball as its dependency; the other @stepwise/* packages it pulls in are
 * mapped to their tarballs by npm "overrides", as the registry would serve them.
 * Needs the registry for the packages' own dependencies (zod, hono, better-sqlite3 …).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseExtended } from "@stepwise/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["protocol", "sdk", "server", "web", "cli"] as const;
type Package = (typeof PACKAGES)[number];
const INSTALL_TIMEOUT_MS = 8 * 60_000;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * A fresh project whose one dependency is `installed` (a package of PACKAGES); every other
 * @stepwise/* package resolves to its tarball through "overrides", as if from the registry.
 */
async function newProject(parent: string, name: string, installed: Package): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir);
  const spec = (pkg: Package) => `file:${tarballs.get(pkg) ?? ""}`;
  const overrides = Object.fromEntries(
    PACKAGES.filter((pkg) => pkg !== installed).map((pkg) => [`@stepwise/${pkg}`, spec(pkg)]),
  );
  const manifest = {
    name,
    private: true,
    type: "module",
    dependencies: { [`@stepwise/${installed}`]: spec(installed) },
    overrides,
  };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  await ok("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], dir);
  return dir;
}

/** Lists every package directory name in a project's node_modules tree (nested ones too). */
async function installedPackages(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, "node_modules"), { recursive: true });
  return entries
    .filter((entry) => entry.endsWith("package.json"))
    .map((entry) => entry.replace(/\/package\.json$/, ""));
}

let work = "";
let tarballs = new Map<Package, string>();
let server: ChildProcess | undefined;
let serverUrl = "";
let training = "";

beforeAll(async () => {
  for (const name of PACKAGES.filter((name) => name !== "web"))
    if (!existsSync(join(ROOT, "packages", name, "dist", "index.js")))
      throw new Error("build first: npx tsc -b");
  if (!existsSync(join(ROOT, "packages/web/dist/index.html")))
    throw new Error("build the web UI first: npm run build -w @stepwise/web");
  work = await mkdtemp(join(tmpdir(), "stepwise-install-"));
  const packed = join(work, "tarballs");
  await mkdir(packed);
  tarballs = new Map();
  for (const name of PACKAGES) {
    const out = await ok(
      "npm",
      ["pack", "--silent", "-w", `packages/${name}`, "--pack-destination", packed],
      ROOT,
    );
    tarballs.set(name, join(packed, out.trim().split("\n").at(-1) ?? ""));
  }
  const serverProject = await newProject(work, "server-project", "cli");
  server = spawn("npx", ["@stepwise/cli", "server", "--port", "0", "--data", join(work, "data")], {
    cwd: serverProject,
    stdio: ["ignore", "pipe", "pipe"],
  });
  serverUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    server?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    server?.once("exit", (code) => reject(new Error(`npx @stepwise/cli server exited ${code}: ${out}`)));
  });
  training = await newProject(work, "training-project", "sdk");
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (work !== "") await rm(work, { recursive: true, force: true });
});

describe("packed packages installed outside the repository", () => {
  it("the server project serves the web UI and the API", async () => {
    const page = await fetch(serverUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it("the SDK alone brings no native addon, and its `stepwise server` says where the server is", async () => {
    const names = await installedPackages(training);
    expect(names).toContain("@stepwise/sdk");
    expect(names.some((name) => name.endsWith("better-sqlite3"))).toBe(false);
    expect(names.some((name) => name.endsWith("@stepwise/server"))).toBe(false);
    const result = await run("npx", ["stepwise", "server"], training);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("npx @stepwise/cli server");
  });

  it("the README's quickstart logs to the server, and `npx stepwise export` reads it back", async () => {
    await copyFile(join(ROOT, "examples/quickstart.mjs"), join(training, "quickstart.mjs"));
    const env = {
      STEPWISE_BASE_URL: serverUrl,
      STEPWISE_RUN_ID: "quickstart-packed",
      STEPWISE_SILENT: "true",
    };
    await ok(process.execPath, ["quickstart.mjs"], training, env);
    const csv = await ok(
      "npx",
      ["stepwise", "export", "local/quickstart/quickstart-packed", "--format", "csv", "--keys", "epoch"],
      training,
      { STEPWISE_BASE_URL: serverUrl },
    );
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(301); // header + the 300 steps the quickstart logs
    expect(lines.slice(1).map((line) => Number(line.split(",").at(-1)))).toEqual(
      Array.from({ length: 300 }, (_, step) => Math.floor(step / 100)),
    );
  });

  it("an offline run is uploaded by `npx stepwise sync` and exported exactly as logged", async () => {
    const script = [
      'import { init } from "@stepwise/sdk";',
      'const run = await init({ project: "packed", id: "offline-packed", mode: "offline", config: { lr: 0.5 } });',
      "for (let step = 0; step < 1000; step++) run.log({ loss: 1 / (step + 1), nan: step === 7 ? NaN : step });",
      "await run.finish();",
    ].join("\n");
    await writeFile(join(training, "offline.mjs"), script);
    await ok(process.execPath, ["offline.mjs"], training, { STEPWISE_SILENT: "true" });
    const sync = await run("npx", ["stepwise", "sync", "--json"], training, { STEPWISE_BASE_URL: serverUrl });
    expect(sync.code, sync.stderr).toBe(0);
    const jsonl = await ok("npx", ["stepwise", "export", "local/packed/offline-packed"], training, {
      STEPWISE_BASE_URL: serverUrl,
    });
    const rows = jsonl
      .trim()
      .split("\n")
      .map((line) => parseExtended(line) as Record<string, unknown>);
    expect(rows).toHaveLength(1000);
    rows.forEach((row, step) => {
      expect(row._step).toBe(step);
      expect(row.loss).toBe(1 / (step + 1));
      expect(row.nan).toBe(step === 7 ? Number.NaN : step);
    });
  });
});
