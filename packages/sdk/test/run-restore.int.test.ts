/**
 * `run.restore(name, { runPath, replace, root })` with a real SDK run and a real server: a file
 * of this run comes into the run directory's `files/` folder with the bytes written; a file
 * already there is kept unless `replace`; a missing file is null; another run's file comes by
 * `runPath`, an unknown run is NotFoundError; an offline run needs `runPath`, and a server that
 * is down is a typed UNAVAILABLE.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError, StepwiseError, UsageError, type RunRef } from "@stepwise/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getRun, init } from "../src/index.js";
import { uploadRunFile } from "../src/files/file-client.js";
import { startTestServer, type TestServer } from "./support/api-server.js";
import { seedRun, sha256Of, targetOf, writeRandomFile, type WrittenFile } from "./support/run-files.js";
import { fetchRun, freePort, waitFor } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
let server: TestServer;
const ref = (runId: string): RunRef => ({ entity: "team", project: "restore", runId });
const quiet = { finishTimeoutMs: 5000, quiet: true };

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await getRun()?.finish();
  await server.close();
});

async function putFile(into: RunRef, path: string, size = 300_000): Promise<WrittenFile> {
  const written = writeRandomFile(tempDir(), "source.bin", size);
  await uploadRunFile(targetOf(server.url), into, {
    path,
    source: { kind: "local", path: written.path },
    size,
    sha256: written.sha256,
  });
  return written;
}

describe("run.restore", () => {
  it("brings a file of this run into its files/ folder, keeps a file already there unless replace, and is null for a missing one", async () => {
    const run = await init({
      entity: "team",
      project: "restore",
      id: "own",
      dir: tempDir(),
      baseUrl: server.url,
      settings: quiet,
    });
    run.log({ loss: 1 });
    await waitFor(
      async () => (await fetchRun(server.url, { entity: "team", project: "restore", id: "own" })) !== null,
      10_000,
      "the run on the server",
    );
    const written = await putFile(ref("own"), "model/ckpt.bin");
    const local = await run.restore("model/ckpt.bin");
    expect(local).toBe(join(run.dir, "files", "model", "ckpt.bin"));
    expect(sha256Of(readFileSync(local ?? ""))).toBe(written.sha256);

    writeFileSync(local ?? "", "edited here");
    await expect(run.restore("model/ckpt.bin")).resolves.toBe(local);
    expect(readFileSync(local ?? "", "utf8")).toBe("edited here");
    await expect(run.restore("model/ckpt.bin", { replace: true })).resolves.toBe(local);
    expect(sha256Of(readFileSync(local ?? ""))).toBe(written.sha256);

    const root = tempDir();
    await expect(run.restore("model/ckpt.bin", { root })).resolves.toBe(join(root, "model", "ckpt.bin"));
    expect(sha256Of(readFileSync(join(root, "model", "ckpt.bin")))).toBe(written.sha256);

    await expect(run.restore("no/such.bin")).resolves.toBeNull();
    expect(existsSync(join(run.dir, "files", "no"))).toBe(false);
  });

  it("restores another run's file by runPath; a run the server does not have is NotFoundError", async () => {
    await seedRun(server.url, ref("source"));
    const written = await putFile(ref("source"), "weights.bin");
    const run = await init({
      entity: "team",
      project: "restore",
      id: "reader",
      dir: tempDir(),
      baseUrl: server.url,
      settings: quiet,
    });
    const local = await run.restore("weights.bin", { runPath: "team/restore/source" });
    expect(local).toBe(join(run.dir, "files", "weights.bin"));
    expect(sha256Of(readFileSync(local ?? ""))).toBe(written.sha256);
    await expect(
      run.restore("weights.bin", { runPath: "team/restore/nobody", replace: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("needs runPath in an offline run, and then reads from the server it names", async () => {
    await seedRun(server.url, ref("source"));
    const written = await putFile(ref("source"), "weights.bin");
    const run = await init({
      entity: "team",
      project: "restore",
      mode: "offline",
      dir: tempDir(),
      baseUrl: server.url,
      settings: quiet,
    });
    await expect(run.restore("weights.bin")).rejects.toThrow(UsageError);
    await expect(run.restore("weights.bin")).rejects.toThrow(/offline run.*runPath/);
    const local = await run.restore("weights.bin", { runPath: "team/restore/source" });
    expect(sha256Of(readFileSync(local ?? ""))).toBe(written.sha256);
  });

  it("fails with a typed UNAVAILABLE naming the server when it cannot be reached", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const run = await init({
      entity: "team",
      project: "restore",
      mode: "offline",
      dir: tempDir(),
      baseUrl: down,
      settings: quiet,
    });
    const error = await run.restore("weights.bin", { runPath: "team/restore/source" }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StepwiseError);
    expect((error as StepwiseError).code).toBe("UNAVAILABLE");
    expect((error as Error).message).toContain(down);
  });

  it("refuses a name that is not a run file path and a malformed runPath, before any request", async () => {
    const run = await init({
      entity: "team",
      project: "restore",
      mode: "offline",
      dir: tempDir(),
      settings: quiet,
    });
    await expect(run.restore("../etc/passwd", { runPath: "team/restore/x" })).rejects.toThrow(UsageError);
    await expect(run.restore("/abs", { runPath: "team/restore/x" })).rejects.toThrow(UsageError);
    await expect(run.restore("a.bin", { runPath: "only/two" })).rejects.toThrow(/entity\/project\/runId/);
  });
});
