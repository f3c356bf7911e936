/**
 * run.save() end to end against a real server process: what arrives is compared by sha256 with
 * the bytes that were saved, for each policy, and with the glob and naming rules of wandb.save.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { init, syncRunDirectory, type Run } from "../src/index.js";
import { SYNCED_SUFFIX } from "../src/upload/upload-state.js";
import { useServerForFile, waitFor } from "./support/server-process.js";
import { listServerFiles, serverFileBytes, sha256Of, sha256OfFile } from "./support/server-files.js";

const { server, tempDir } = useServerForFile();

beforeAll(() => {
  // Live files are checked for changes every 0.2 s here (2 s by default).
  process.env["STEPWISE_FILE_POLL_S"] = "0.2";
});

async function startRun(project: string): Promise<Run> {
  return init({ dir: tempDir(), baseUrl: server.url, project, settings: { silent: true } });
}

async function serverSha(run: Run, path: string): Promise<string | null> {
  return (await listServerFiles(server.url, run)).get(path)?.sha256 ?? null;
}

describe("run.save", () => {
  it("uploads a `now` file while the run runs, with the sha256 of the saved bytes", async () => {
    const root = tempDir();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    mkdirSync(join(root, "out"));
    writeFileSync(join(root, "out", "weights.bin"), bytes);
    const run = await startRun("save-now");
    const saved = run.save(join(root, "out", "*.bin"), { basePath: root, policy: "now" });
    expect(saved).toEqual(["out/weights.bin"]);
    await waitFor(
      async () => (await serverSha(run, "out/weights.bin")) === sha256Of(bytes),
      15_000,
      "the file",
    );
    expect(sha256Of(await serverFileBytes(server.url, run, "out/weights.bin"))).toBe(sha256Of(bytes));
    await waitFor(async () => (await run.status()).filesPending === 0, 5000, "nothing pending");
    expect((await run.status()).filesUploaded).toBeGreaterThanOrEqual(1);
    await run.finish();
  });

  it("holds `end` files until finish() (status counts them pending), then uploads them", async () => {
    const root = tempDir();
    const final = randomBytes(512 * 1024);
    writeFileSync(join(root, "final.pt"), final);
    writeFileSync(join(root, "marker.txt"), "sent now");
    const run = await startRun("save-end");
    expect(run.save(join(root, "final.pt"), { basePath: root, policy: "end" })).toEqual(["final.pt"]);
    run.save(join(root, "marker.txt"), { basePath: root, policy: "now" });
    await waitFor(async () => (await serverSha(run, "marker.txt")) !== null, 15_000, "the now file");
    // The `now` file was recorded after the `end` one: the uploader has read both by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await serverSha(run, "final.pt")).toBeNull();
    const status = await run.status();
    expect(status.filesPending).toBeGreaterThanOrEqual(1);
    expect(status.fileBytesPending).toBeGreaterThanOrEqual(final.length);
    await run.finish();
    expect(await serverSha(run, "final.pt")).toBe(sha256Of(final));
  });

  it("re-uploads a `live` file when it changes; the server ends with its last content", async () => {
    const root = tempDir();
    const file = join(root, "progress.txt");
    writeFileSync(file, "epoch 1\n");
    const run = await startRun("save-live");
    expect(run.save(file, { basePath: root })).toEqual(["progress.txt"]);
    await waitFor(async () => (await serverSha(run, "progress.txt")) === sha256Of("epoch 1\n"), 15_000, "v1");
    writeFileSync(file, "epoch 1\nepoch 2\n");
    await waitFor(
      async () => (await serverSha(run, "progress.txt")) === sha256Of("epoch 1\nepoch 2\n"),
      15_000,
      "v2 (a change while the run runs)",
    );
    // Changed just before finish: sent at finish, not lost to the debounce.
    writeFileSync(file, "epoch 1\nepoch 2\nepoch 3 (last)\n");
    await run.finish();
    expect((await serverFileBytes(server.url, run, "progress.txt")).toString()).toBe(
      "epoch 1\nepoch 2\nepoch 3 (last)\n",
    );
  });

  it("expands the glob when called and names files by basePath, or by one folder level", async () => {
    const root = tempDir();
    mkdirSync(join(root, "logs", "deep"), { recursive: true });
    writeFileSync(join(root, "logs", "a.txt"), "a");
    writeFileSync(join(root, "logs", "deep", "b.txt"), "b");
    const run = await startRun("save-glob");
    expect(run.save(join(root, "logs", "**", "*.txt"), { basePath: root, policy: "now" })).toEqual([
      "logs/a.txt",
      "logs/deep/b.txt",
    ]);
    writeFileSync(join(root, "logs", "later.txt"), "created after save");
    // An absolute path without basePath keeps its folder's name.
    expect(run.save(join(root, "logs", "deep", "b.txt"), { policy: "now" })).toEqual(["deep/b.txt"]);
    expect(run.save(join(root, "nothing-*.bin"))).toEqual([]);
    await run.finish();
    const files = await listServerFiles(server.url, run);
    expect(files.get("logs/a.txt")?.sha256).toBe(sha256Of("a"));
    expect(files.get("logs/deep/b.txt")?.sha256).toBe(sha256Of("b"));
    expect(files.get("deep/b.txt")?.sha256).toBe(sha256Of("b"));
    expect(files.has("logs/later.txt")).toBe(false);
  });

  it("uploads config.json, summary.json and metadata.json with the run, as logged", async () => {
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "run-files",
      config: { lr: 0.1, layers: [3, 2] },
      settings: { silent: true },
    });
    run.log({ loss: 0.5 });
    run.log({ loss: 0.25 });
    run.config.update({ batch: 32 });
    run.summary.update({ best: 0.25 });
    await run.finish();
    const json = async (path: string): Promise<Record<string, unknown>> =>
      JSON.parse((await serverFileBytes(server.url, run, path)).toString()) as Record<string, unknown>;
    expect(await json("config.json")).toEqual({ lr: 0.1, layers: [3, 2], batch: 32 });
    expect(await json("summary.json")).toMatchObject({ loss: 0.25, best: 0.25, _step: 1 });
    const metadata = await json("metadata.json");
    expect(metadata).toMatchObject({ node: process.version, cwd: process.cwd(), program: process.argv[1] });
    expect(metadata["cpuCount"]).toBeGreaterThan(0);
    expect(typeof metadata["startedAt"]).toBe("string");
    expect(Array.isArray(metadata["gpu"])).toBe(true);
    expect((await run.status()).filesPending).toBe(0);
  });

  it("uploads diff.patch (git diff HEAD) and the git fields of metadata.json from a dirty tree", async () => {
    const repo = tempDir();
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "t");
    git("remote", "add", "origin", "https://example.com/team/model.git");
    writeFileSync(join(repo, "train.py"), "lr = 0.1\n");
    git("add", "train.py");
    git("commit", "-q", "-m", "first");
    writeFileSync(join(repo, "train.py"), "lr = 0.05  # tuned\n");
    const script = fileURLToPath(new URL("./fixtures/files-child.mjs", import.meta.url));
    const child = spawn(process.execPath, [script, JSON.stringify({ dir: tempDir(), baseUrl: server.url })], {
      cwd: repo,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const run = JSON.parse(out.split("\n")[0] ?? "{}") as { entity: string; project: string; id: string };
    const diff = await serverFileBytes(server.url, run, "diff.patch");
    expect(diff.toString()).toBe(git("diff", "HEAD"));
    expect(diff.toString()).toContain("+lr = 0.05  # tuned");
    const metadata = JSON.parse((await serverFileBytes(server.url, run, "metadata.json")).toString()) as {
      git: unknown;
      cwd: string;
    };
    expect(metadata.git).toEqual({
      remote: "https://example.com/team/model.git",
      commit: git("rev-parse", "HEAD").trim(),
      dirty: true,
    });
  });

  it("finish() keeps waiting past its timeout while a large `end` file is hashed and sent", async () => {
    const root = tempDir();
    const big = join(root, "last.ckpt");
    const block = randomBytes(4 * 1024 * 1024);
    const fd = openSync(big, "w");
    for (let i = 0; i < 128; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
    const sha = await sha256OfFile(big);
    // 512 MiB take seconds to hash and send; the finish timeout is 0.5 s without progress.
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "save-finish",
      settings: { silent: true, finishTimeoutMs: 500 },
    });
    run.save(big, { basePath: root, policy: "end" });
    const started = Date.now();
    await run.finish();
    expect(Date.now() - started).toBeGreaterThan(500);
    expect((await listServerFiles(server.url, run)).get("last.ckpt")).toMatchObject({ sha256: sha });
    expect((await run.status()).filesPending).toBe(0);
  }, 120_000);

  it("reports a saved file removed before it could be sent as failed, finishes, and leaves the run for sync", async () => {
    const root = tempDir();
    const bytes = randomBytes(1024);
    writeFileSync(join(root, "scratch.bin"), bytes);
    const run = await startRun("save-removed");
    run.save(join(root, "scratch.bin"), { basePath: root, policy: "end" });
    rmSync(join(root, "scratch.bin"));
    await run.finish();
    const status = await run.status();
    expect(status.filesFailed).toBe(1);
    expect(status.filesPending).toBe(0);
    expect((await listServerFiles(server.url, run)).has("scratch.bin")).toBe(false);
    expect((await listServerFiles(server.url, run)).has("summary.json")).toBe(true);
    // Not marked synced: `stepwise sync` offers the file again, and sends it once it is back.
    const marked = (): boolean => readdirSync(run.dir).some((f) => f.endsWith(SYNCED_SUFFIX));
    expect(marked()).toBe(false);
    writeFileSync(join(root, "scratch.bin"), bytes);
    const synced = await syncRunDirectory(run.dir, { baseUrl: server.url });
    expect(synced.status, synced.message ?? "").toBe("synced");
    expect((await listServerFiles(server.url, run)).get("scratch.bin")).toMatchObject({
      sha256: sha256Of(bytes),
    });
    expect(marked()).toBe(true);
  });

  it("saves nothing in a disabled run", async () => {
    const run = await init({ mode: "disabled", settings: { silent: true } });
    expect(run.save("/etc/hostname", { policy: "now" })).toEqual([]);
    await run.finish();
  });
});
