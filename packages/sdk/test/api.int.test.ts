/**
 * The public `Api` client against a real server (127.0.0.1, free port, temp data dir), fed with
 * ingest batches as the uploader sends them: run fields, listing with filters, order and
 * pagination, sampled and exact history, summary and metadata writes, files, credentials.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthError, NotFoundError, StepwiseError, type RunRef } from "@stepwise/protocol";
import { Api } from "@stepwise/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { historyRows, startTestServer, type TestServer } from "./support/api-server.js";

let server: TestServer;
let api: Api;
const ref = (runId: string): RunRef => ({ entity: "team", project: "vision", runId });

beforeEach(async () => {
  server = await startTestServer();
  api = new Api({ baseUrl: server.url, env: {} });
});
afterEach(async () => server.close());

/** A finished run whose history holds `loss` (with NaN and ±Infinity), `acc` every 10th step, and nested `train.lr`. */
async function seedRun(runId: string, rows: number): Promise<Array<Record<string, unknown>>> {
  const history = historyRows(rows, (step) => ({
    loss: step === 3 ? Number.NaN : step === 4 ? Infinity : step === 5 ? -Infinity : 1 / (step + 1),
    ...(step % 10 === 0 ? { acc: step / rows } : {}),
    train: { lr: 0.1 },
  }));
  await server.ingest(ref(runId), {
    run: {
      name: "bold-fox-1",
      group: "sweep-a",
      jobType: "train",
      tags: ["baseline", "gpu"],
      notes: "first try",
      config: { lr: 0.1, model: { depth: 18 } },
      startTime: 1_700_000_000,
    },
    history: { offset: 0, rows: history },
    summary: { loss: 1 / rows, acc: 0.9, train: { lr: 0.1 }, _runtime: rows / 10, note: "text" },
    exit: { exitCode: 0, runtime: rows / 10 },
  });
  return history;
}

describe("api.run()", () => {
  it("returns the run's fields as the server stores them", async () => {
    await seedRun("r1", 20);
    const run = await api.run("team/vision/r1");
    expect({
      id: run.id,
      path: run.path,
      name: run.name,
      state: run.state,
      tags: run.tags,
      notes: run.notes,
      group: run.group,
      jobType: run.jobType,
      config: run.config,
      lastStep: run.lastStep,
      exitCode: run.exitCode,
    }).toEqual({
      id: "r1",
      path: "team/vision/r1",
      name: "bold-fox-1",
      state: "finished",
      tags: ["baseline", "gpu"],
      notes: "first try",
      group: "sweep-a",
      jobType: "train",
      config: { lr: 0.1, model: { depth: 18 } },
      lastStep: 19,
      exitCode: 0,
    });
    expect(run.summary.toJSON()).toMatchObject({ loss: 1 / 20, acc: 0.9, train: { lr: 0.1 } });
    expect(run.summary["acc"]).toBe(0.9);
    expect(run.createdAt).toBe(1_700_000_000);
    expect(run.heartbeatAt).toBeGreaterThan(0);
  });

  it("throws NotFoundError for a run the server does not have", async () => {
    await expect(api.run("team/vision/missing")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("rejects a malformed path before any request, naming the expected shape", async () => {
    await expect(api.run("team/vision")).rejects.toThrow(/must be entity\/project\/runId/);
  });
});

describe("api.runs()", () => {
  beforeEach(async () => {
    const accs = [0.5, 0.95, 0.7, 0.99, 0.92];
    for (const [i, acc] of accs.entries()) {
      await server.ingest(ref(`run-${i}`), {
        run: { name: `run-${i}`, tags: i % 2 === 0 ? ["even"] : [], startTime: 1_700_000_000 + i },
        summary: { "val/acc": acc },
        ...(i === 4 ? {} : { exit: { exitCode: i === 2 ? 1 : 0, runtime: 1 } }),
      });
    }
  });

  async function ids(options: Parameters<Api["runs"]>[1]): Promise<string[]> {
    const out: string[] = [];
    for await (const run of api.runs("team/vision", options)) out.push(run.id);
    return out;
  }

  it("lists every run across several pages, newest first by default", async () => {
    expect(await ids({ perPage: 2 })).toEqual(["run-4", "run-3", "run-2", "run-1", "run-0"]);
  });

  it("filters on summary values and orders by them, across pages", async () => {
    const found = await ids({ filters: ["summary.val/acc>0.9"], order: "-summary.val/acc", perPage: 1 });
    expect(found).toEqual(["run-3", "run-1", "run-4"]);
  });

  it("combines filters with AND, as expressions or objects", async () => {
    expect(
      await ids({ filters: ["state=finished", { field: "tags", op: "contains", value: "even" }] }),
    ).toEqual(["run-0"]);
    expect(await ids({ filters: ["state=failed,running"], order: "createdAt" })).toEqual(["run-2", "run-4"]);
  });

  it("counts matching runs without listing them", async () => {
    expect(await api.countRuns("team/vision", ["summary.val/acc>=0.7"])).toBe(4);
  });

  it("rejects a filter expression it cannot read, with an example", async () => {
    await expect(ids({ filters: ["summary.acc"] })).rejects.toThrow(
      /no operator.*e\.g\. summary\.val\/acc>0\.9/,
    );
  });
});

describe("history()", () => {
  it("returns exact rows for the keys when the run has no more rows than samples", async () => {
    const logged = await seedRun("r1", 50);
    const rows = await (await api.run("team/vision/r1")).history({ keys: ["acc"] });
    expect(rows).toEqual(
      logged.filter((row) => "acc" in row).map((row) => ({ _step: row["_step"], acc: row["acc"] })),
    );
  });

  it("defaults to the summary's numeric keys (nested as dotted paths, no _ keys)", async () => {
    await seedRun("r1", 10);
    const [first] = await (await api.run("team/vision/r1")).history();
    expect(first).toEqual({ _step: 0, loss: 1, acc: 0, "train.lr": 0.1 });
  });

  it("samples a long run down to about `samples` real points per key", async () => {
    const logged = await seedRun("r1", 3000);
    const run = await api.run("team/vision/r1");
    const rows = await run.history({ keys: ["loss"], samples: 100 });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(100);
    const steps = rows.map((row) => row["_step"] as number);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // A row is a bucket: at its first step, the value logged at its last step (the step before the next row's).
    for (const [i, row] of rows.entries()) {
      const end = ((rows[i + 1]?.["_step"] as number | undefined) ?? logged.length) - 1;
      const value = logged[end]?.["loss"] as number;
      expect(row["loss"]).toBe(Number.isFinite(value) ? value : null);
    }
    expect(rows.at(-1)?.["loss"]).toBe(1 / 3000);
  });

  it("restricts sampled rows to minStep..maxStep", async () => {
    await seedRun("r1", 3000);
    const rows = await (
      await api.run("team/vision/r1")
    ).history({ keys: ["loss"], samples: 50, minStep: 1000, maxStep: 1999 });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row["_step"]).toBeGreaterThanOrEqual(1000);
    for (const row of rows) expect(row["_step"]).toBeLessThanOrEqual(1999);
  });
});

describe("scanHistory()", () => {
  it("yields every ingested row exactly, NaN and ±Infinity included", async () => {
    const logged = await seedRun("r1", 2500);
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of (await api.run("team/vision/r1")).scanHistory()) rows.push(row);
    expect(rows).toEqual(logged);
    expect(rows[3]?.["loss"]).toBeNaN();
    expect(rows[4]?.["loss"]).toBe(Infinity);
    expect(rows[5]?.["loss"]).toBe(-Infinity);
  });

  it("with keys, yields only rows holding every key, as _step plus those keys", async () => {
    const logged = await seedRun("r1", 40);
    const rows: unknown[] = [];
    for await (const row of (await api.run("team/vision/r1")).scanHistory({ keys: ["acc", "train.lr"] }))
      rows.push(row);
    const expected = logged
      .filter((row) => "acc" in row)
      .map((row) => ({ _step: row["_step"], acc: row["acc"], "train.lr": 0.1 }));
    expect(rows).toEqual(expected);
  });

  it("keeps a step range and stops cleanly when the caller breaks early", async () => {
    const logged = await seedRun("r1", 500);
    const run = await api.run("team/vision/r1");
    const ranged: unknown[] = [];
    for await (const row of run.scanHistory({ minStep: 100, maxStep: 104 })) ranged.push(row);
    expect(ranged).toEqual(logged.slice(100, 105));
    let seen = 0;
    for await (const _row of run.scanHistory()) if (++seen === 3) break;
    expect(seen).toBe(3);
    // The connection was released: the server still answers.
    expect((await api.run("team/vision/r1")).id).toBe("r1");
  });
});

describe("writing back", () => {
  it("persists summary.update() at once and name, tags, notes and set keys on update()", async () => {
    await seedRun("r1", 5);
    const run = await api.run("team/vision/r1");
    await run.summary.update({ best: 0.97 });
    expect(run.summary["best"]).toBe(0.97);
    expect((await api.run("team/vision/r1")).summary.toJSON()).toMatchObject({ best: 0.97, acc: 0.9 });

    run.name = "renamed";
    run.tags = ["final"];
    run.notes = "kept";
    run.summary["verdict"] = "ship";
    await run.update();
    const again = await api.run("team/vision/r1");
    expect({ name: again.name, tags: again.tags, notes: again.notes }).toEqual({
      name: "renamed",
      tags: ["final"],
      notes: "kept",
    });
    expect(again.summary.toJSON()).toMatchObject({ best: 0.97, verdict: "ship" });
  });
});

describe("files", () => {
  it("lists a run's files and downloads one under root, nested folders included", async () => {
    await seedRun("r1", 1);
    await server.putFile(ref("r1"), "model/weights.bin", new Uint8Array([0, 1, 2, 255]));
    await server.putFile(ref("r1"), "notes.txt", "hello");
    const run = await api.run("team/vision/r1");
    const files = await run.files();
    expect(files.map((file) => [file.path, file.size]).sort()).toEqual([
      ["model/weights.bin", 4],
      ["notes.txt", 5],
    ]);
    const root = mkdtempSync(join(tmpdir(), "stepwise-download-"));
    try {
      const path = await run.file("model/weights.bin").download({ root });
      expect(path).toBe(join(root, "model", "weights.bin"));
      expect([...readFileSync(path)]).toEqual([0, 1, 2, 255]);
      await expect(run.file("notes.txt").download({ root, replace: false })).resolves.toBe(
        join(root, "notes.txt"),
      );
      await expect(run.file("notes.txt").download({ root, replace: false })).rejects.toThrow(
        /already exists/,
      );
      await expect(run.file("nope.txt").download({ root })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("connection", () => {
  it("reads baseUrl and apiKey from the credentials file, under env, under options", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-config-"));
    try {
      const adminKey = readFileSync(server.server.adminKeyPath ?? "", "utf8").trim();
      const credentials = join(dir, "credentials.json");
      writeFileSync(credentials, JSON.stringify({ baseUrl: server.url, apiKey: adminKey }));
      const fromFile = new Api({ env: { STEPWISE_CONFIG_DIR: dir } });
      expect(fromFile.baseUrl).toBe(server.url);
      expect(await fromFile.viewer()).toMatchObject({ via: "key", admin: true });
      // The file's key is the one sent: a wrong one is refused even from loopback.
      writeFileSync(credentials, JSON.stringify({ baseUrl: server.url, apiKey: "not-a-key" }));
      await expect(new Api({ env: { STEPWISE_CONFIG_DIR: dir } }).viewer()).rejects.toBeInstanceOf(AuthError);
      const env = { STEPWISE_CONFIG_DIR: dir, STEPWISE_BASE_URL: "http://127.0.0.1:1/" };
      expect(new Api({ env }).baseUrl).toBe("http://127.0.0.1:1");
      expect(new Api({ env, baseUrl: "http://example.test" }).baseUrl).toBe("http://example.test");
      expect(new Api({ env: { STEPWISE_CONFIG_DIR: join(dir, "none") } }).baseUrl).toBe(
        "http://127.0.0.1:8080",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("throws a retryable UNAVAILABLE error naming the URL when nothing listens", async () => {
    const port = await closedPort();
    const offline = new Api({ baseUrl: `http://127.0.0.1:${port}`, env: {} });
    const error: unknown = await offline.run("team/vision/r1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepwiseError);
    expect((error as StepwiseError).code).toBe("UNAVAILABLE");
    expect((error as StepwiseError).message).toMatch(
      new RegExp(`cannot reach the Stepwise server at http://127.0.0.1:${port}`),
    );
  });

  it("sends the API key as a bearer token, and maps a refusal to AuthError", async () => {
    const strict = await startTestServer({ trustLoopback: false });
    try {
      const anonymous = new Api({ baseUrl: strict.url, env: {} });
      await expect(anonymous.entities()).rejects.toBeInstanceOf(AuthError);
      const adminKey = readFileSync(strict.server.adminKeyPath ?? "", "utf8").trim();
      const admin = new Api({ baseUrl: strict.url, apiKey: adminKey, env: {} });
      expect((await admin.viewer()).admin).toBe(true);
    } finally {
      await strict.close();
    }
  });
});

/** A port that was free a moment ago: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
