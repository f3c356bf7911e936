/**
 * `stepwise migrate` as an operator runs it (the built CLI bin, a real PostgreSQL, real SQLite):
 * a 100-run data directory is copied and every run compared row for row with the values
 * logged, read back through the target store and an API server on it; a copy SIGKILLed midway
 * and run again ends complete without duplicates; a further run writes nothing; a target that
 * lost a row is named with exit 3.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiPaths, parseExtended } from "@stepwise/protocol";
import { LocalBlobStore } from "../src/blob/local-blob-store.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { migrate, summaryOf } from "./migrate-cli.js";
import {
  alertOf,
  API_KEY,
  IMAGE_STEP,
  loggedRuns,
  MODEL_VERSIONS,
  PRESET,
  RUNS,
  writeSourceData,
  type LoggedRun,
} from "./migrate-source-data.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
const runs = loggedRuns();
let postgres: PostgresProcess;
let dir = "";
let source = "";

beforeAll(async () => {
  if (missing !== null) return;
  postgres = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), "stepwise-migrate-"));
  source = join(dir, "source");
  await writeSourceData(source, runs);
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

/** Every run in the target, compared with what was logged: run record, rows, streams, series, files. */
async function expectTargetHoldsLoggedRuns(url: string, files: string): Promise<void> {
  const store = await openPostgresStore(url);
  const blobs = new LocalBlobStore(files, new UrlSigner(randomBytes(32)));
  try {
    for (const run of runs) {
      const stored = await store.getRun(run.ref);
      expect(stored, run.ref.runId).not.toBeNull();
      expect({ name: stored?.name, ordinal: stored?.ordinal, state: stored?.state }).toEqual({
        name: run.name,
        ordinal: run.ordinal,
        state: run.state,
      });
      expect(stored?.summary).toEqual(run.summary);
      const i = runs.indexOf(run);
      expect(stored?.config).toEqual({ lr: 0.001 * (i + 1), layers: [i, 2], extra: i });
      expect({ notes: stored?.notes, tags: stored?.tags }).toEqual({
        notes: `notes ${i}`,
        tags: [`t${i % 3}`],
      });
      expect(await historyOf(store, run)).toEqual(run.rows);
      const events = await store.readStream(run.ref, "events", 0, 1000);
      expect(events.map((line) => parseExtended(line))).toEqual(run.events);
      expect(await store.readStream(run.ref, "console", 0, 1000)).toEqual(run.console);
      expect(stored?.offsets).toEqual({
        history: run.rows.length,
        events: run.events.length,
        console: run.console.length,
        meta: run.meta.length,
      });
      const storedFiles = await store.listFiles(run.ref);
      expect(storedFiles.map((f) => f.path).sort()).toEqual(run.files.map((f) => f.path).sort());
      for (const file of run.files) {
        const record = storedFiles.find((f) => f.path === file.path);
        const body = record && (await blobs.get(record.sha256));
        expect(body ? Buffer.concat(await body.toArray()) : null).toEqual(file.bytes);
      }
    }
    // Media and alerts were indexed by the target's ingestion from the rows and meta records.
    const steps = await store.listMediaSteps({ entity: "team", project: "p0" }, "samples", [
      "run000",
      "run010",
    ]);
    expect(steps.map((s) => [s.runId, s.steps, s.counts])).toEqual([
      ["run000", [IMAGE_STEP], [1]],
      ["run010", [IMAGE_STEP], [1]],
    ]);
    for (const i of [0, 25, 50, 75]) {
      const run = runs[i] as LoggedRun;
      const alerts = await store.alerts.listAlerts({ run: run.ref, limit: 10 });
      const logged = alertOf(i) as { title: string; step: number };
      // Delivered by the source already: handed out to no destination, never sent again.
      expect(alerts.map((a) => [a.title, a.step, a.delivery])).toEqual([[logged.title, logged.step, "none"]]);
    }
    expect(await store.alerts.dueDeliveries(Date.now() / 1000 + 3600, 100)).toEqual([]);

    // The series were built by the target's ingestion: exact points equal the logged losses.
    const series = await store.querySeries({
      runs: runs.map((r) => r.ref),
      keys: ["loss"],
      xAxis: "_step",
      buckets: 10_000,
    });
    expect(series).toHaveLength(RUNS);
    for (const s of series) {
      const run = runs.find((r) => r.ref.runId === s.run.runId) as LoggedRun;
      expect(s.exact).toBe(true);
      expect(s.last).toEqual(run.rows.map((row) => row.loss));
    }
    expect(await store.structured.listPresets()).toEqual([
      { id: PRESET.id, body: PRESET.body, createdAt: PRESET.at, updatedAt: PRESET.at },
    ]);
  } finally {
    await blobs.close();
    await store.close();
  }
}

/** The model's versions, aliases, tags, TTL, files, lineage and registry link, as logged. */
async function expectTargetHoldsLoggedArtifacts(url: string, files: string): Promise<void> {
  const store = await openPostgresStore(url);
  const blobs = new LocalBlobStore(files, new UrlSigner(randomBytes(32)));
  const ref = (alias: string) => ({ entity: "team", project: "p0", name: "model", alias });
  try {
    const versions = await store.artifacts.listVersions("team", "p0", "model");
    expect(versions.map((v) => [v.version, v.digest]).sort()).toEqual(
      MODEL_VERSIONS.slice(1).map((v) => [v.name, v.digest]),
    );
    expect(await store.artifacts.resolveVersion(ref("v0"))).toBeNull();
    expect(await store.artifacts.resolveVersion(ref("best"))).toMatchObject({
      version: "v1",
      tags: ["candidate"],
      metadata: { accuracy: 0.91 },
      producer: { entity: "team", project: "p0", runId: "run000" },
      createdAt: 1_700_000_601,
    });
    expect(await store.artifacts.resolveVersion(ref("latest"))).toMatchObject({
      version: "v2",
      ttlS: 86_400,
    });
    for (const version of MODEL_VERSIONS.slice(1)) {
      expect(await store.artifacts.readManifest(ref(version.name), null, 10)).toEqual(version.entries);
      const body = await blobs.get(version.sha256);
      expect(body ? Buffer.concat(await body.toArray()) : null).toEqual(version.bytes);
    }
    const lineage = await store.artifacts.runLineage({ entity: "team", project: "p0", runId: "run002" });
    expect(lineage.used.map((v) => v.version)).toEqual(["v1"]);
    const linked = await store.registry?.resolve({
      entity: "team",
      registry: "model-registry",
      collection: "digits",
      alias: "production",
    });
    expect(linked).toMatchObject({
      linkedBy: "key-ci",
      linkedAt: 1_700_000_720,
      artifact: { version: "v1" },
    });
    // The distributed dataset: every writer a producer, and the pending one's writer kept.
    const run = (n: number) => ({
      entity: "team",
      project: `p${n % 2}`,
      runId: `run${String(n).padStart(3, "0")}`,
    });
    const dataset = await store.artifacts.resolveVersion({ ...ref("latest"), name: "dataset" });
    expect(dataset?.producers).toEqual([run(5), run(3), run(4)]);
    expect((await store.artifacts.runLineage(run(4))).produced.map((v) => `${v.name}:${v.version}`)).toEqual([
      "dataset:v0",
    ]);
  } finally {
    await blobs.close();
    await store.close();
  }
}

async function historyOf(
  store: Awaited<ReturnType<typeof openPostgresStore>>,
  run: LoggedRun,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const page of store.scanHistory(run.ref))
    for (const text of page) rows.push(parseExtended(text));
  return rows;
}

/** What the target holds, table by table (a copy that writes nothing leaves it as it is). */
async function tableCounts(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT (SELECT COUNT(*) FROM runs) AS runs, (SELECT COALESCE(SUM(row_count), 0) FROM history_blocks) AS rows,
              (SELECT COUNT(*) FROM stream_lines) AS lines, (SELECT COUNT(*) FROM series_chunks) AS chunks,
              (SELECT COUNT(*) FROM run_files) AS files, (SELECT COUNT(*) FROM api_keys) AS keys,
              (SELECT COUNT(*) FROM move_runs) AS moved, (SELECT MAX(moved_at) FROM move_runs) AS last_move`,
    );
    return rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

const totalRows = runs.reduce((n, r) => n + r.rows.length, 0);

describe.skipIf(missing !== null)("stepwise migrate", () => {
  test("copies 100 runs exactly, API keys stay valid on a server over the target; a second copy writes nothing", async () => {
    const url = await postgres.createDatabase();
    const target = join(dir, "target-a");
    const first = summaryOf(await migrate(["--from", source, "--to", url, "--to-data", target, "--json"]));
    expect(first.runs).toEqual({ total: RUNS, copied: RUNS, unchanged: 0, renumbered: [] });
    expect(first.rows.history).toBe(totalRows);
    expect(first.files).toMatchObject({ records: 30, blobs: 21 });
    expect(first.apiKeys).toEqual({ total: 1, copied: 1 });
    expect(first.verified).toMatchObject({ runs: RUNS, historyRows: totalRows, files: 30, mismatches: [] });
    await expectTargetHoldsLoggedRuns(url, join(target, "files"));
    expect(first.artifacts).toMatchObject({
      state: "copied",
      collections: 2, // the model (3 versions) and the distributed dataset (1, and 1 pending)
      versions: 4,
      registryLinks: 1,
      blobs: 6,
    });
    await expectTargetHoldsLoggedArtifacts(url, join(target, "files"));

    const server = await startServer(
      loadConfig({ port: 0, host: "127.0.0.1", data: target, database: url, trustLoopback: false }, {}),
      { log: () => undefined },
    );
    try {
      const list = apiPaths.runs("team", "p1");
      expect((await fetch(server.url + list)).status).toBe(401);
      const answer = await fetch(server.url + list, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { total: number }).total).toBe(RUNS / 2);
    } finally {
      await server.close();
    }

    const before = await tableCounts(url);
    const again = summaryOf(await migrate(["--from", source, "--to", url, "--to-data", target, "--json"]));
    expect(again.runs).toEqual({ total: RUNS, copied: 0, unchanged: RUNS, renumbered: [] });
    expect(again.rows).toEqual({ history: 0, events: 0, console: 0, meta: 0 });
    expect({ files: again.files, keys: again.apiKeys.copied, presets: again.presets.copied }).toEqual({
      files: { records: 0, blobs: 0, bytes: 0 },
      keys: 0,
      presets: 0,
    });
    expect(again.artifacts.state).toBe("unchanged");
    expect(again.verified.mismatches).toEqual([]);
    expect(await tableCounts(url)).toEqual(before);

    // A target that lost a row is caught by the check and the run named, whatever the progress says.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `DELETE FROM history_blocks WHERE first_row <= 7 AND run_pk = (SELECT pk FROM runs WHERE run_id = 'run042')`,
    );
    await client.end();
    const damaged = await migrate(["--from", source, "--to", url, "--to-data", target]);
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toMatch(
      /differs: team\/p0\/run042: history unreadable in the target: .*history rows 0–\d+: missing/,
    );
    expect(damaged.stderr).toMatch(/^1 run\(s\) differ/m);

    // The copied keys leave room: the target's store numbers and keys new rows after them.
    const store = await openPostgresStore(url);
    try {
      const committed = await store.artifacts.commitVersion({
        entity: "team",
        project: "p0",
        name: "model",
        type: "model",
        entries: [],
        digest: "0".repeat(64),
        description: "",
        metadata: {},
        aliases: [],
        tags: [],
        producer: null,
        now: 1_700_001_000,
      });
      expect(committed).toMatchObject({ status: "created", version: { version: "v3" } });
      // The pending dataset's writer came along: finishing it on the target lists it as a producer.
      const run = (n: number) => ({
        entity: "team",
        project: `p${n % 2}`,
        runId: `run${String(n).padStart(3, "0")}`,
      });
      const later = await store.artifacts.distributed?.finishPending({
        entity: "team",
        project: "p0",
        name: "dataset",
        distributedId: "later",
        type: "dataset",
        description: "",
        metadata: {},
        aliases: [],
        tags: [],
        producer: run(7),
        now: 1_700_000_900,
      });
      expect(later?.version.producers).toEqual([run(7), run(6)]);
    } finally {
      await store.close();
    }
  }, 300_000);

  test("a copy SIGKILLed midway and run again is complete, without duplicates", async () => {
    const url = await postgres.createDatabase();
    const target = join(dir, "target-b");
    const killed = await migrate(["--from", source, "--to", url, "--to-data", target], {}, 30);
    expect(killed.signal).toBe("SIGKILL");
    const partial = await tableCounts(url);
    expect(Number(partial.moved)).toBeGreaterThanOrEqual(30);
    expect(Number(partial.moved)).toBeLessThan(RUNS);

    const resumed = summaryOf(await migrate(["--from", source, "--to", url, "--to-data", target, "--json"]));
    expect(resumed.runs.unchanged).toBe(Number(partial.moved));
    expect(resumed.runs.copied).toBe(RUNS - Number(partial.moved));
    expect(resumed.verified).toMatchObject({ runs: RUNS, historyRows: totalRows, mismatches: [] });
    await expectTargetHoldsLoggedRuns(url, join(target, "files"));
    await expectTargetHoldsLoggedArtifacts(url, join(target, "files"));
    expect(Number((await tableCounts(url)).rows)).toBe(totalRows);
  }, 300_000);
});
