/**
 * `stepwise server --database postgres://…` end to end: two API servers on one PostgreSQL
 * database (one data directory for the admin key and run files) serve the same runs — a run
 * ingested through one is read, listed and charted through the other; and the URL may come from
 * STEPWISE_DATABASE_URL. Skipped only where the PostgreSQL server binaries are absent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiPaths,
  ingestResponseSchema,
  parseExtended,
  runDtoSchema,
  seriesResponseSchema,
  UsageError,
  type RunRef,
} from "@stepwise/protocol";
import { loadConfig } from "../src/config.js";
import { historyBatch, startTestServer } from "./http-harness.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

describe.skipIf(missing !== null)(
  `stepwise server on PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("serves a run ingested through one server from another on the same database", async () => {
      const database = await (server as PostgresProcess).createDatabase();
      const dataDir = await mkdtemp(join(tmpdir(), "stepwise-pg-http-"));
      try {
        await using a = await startTestServer({ database }, dataDir);
        await using b = await startTestServer({ database }, dataDir);
        for (const offset of [0, 100, 200]) {
          const response = await a.ingest(ref, { run: { name: "shared" }, ...historyBatch(offset, 100) });
          expect(ingestResponseSchema.parse(parseExtended(await response.text())).next.history).toBe(
            offset + 100,
          );
        }
        const run = runDtoSchema.parse(parseExtended(await (await b.fetch(apiPaths.run(ref))).text()));
        expect(run).toMatchObject({ name: "shared", state: "running" });
        const history = (await (await b.fetch(apiPaths.history(ref))).text()).trim().split("\n");
        expect(history.map((line) => (parseExtended(line) as { _step: number })._step)).toEqual(
          Array.from({ length: 300 }, (_, i) => i),
        );
        const charted = await b.send("POST", apiPaths.series(), {
          runs: [ref],
          keys: ["loss"],
          buckets: 1000,
        });
        const [loss] = seriesResponseSchema.parse(parseExtended(await charted.text())).series;
        expect(loss?.x).toEqual(Array.from({ length: 300 }, (_, i) => i));
        expect(loss?.last).toEqual(Array.from({ length: 300 }, (_, i) => 1 / (i + 1)));
        // The second server re-sending the first's batch changes nothing.
        const again = await b.ingest(ref, historyBatch(200, 100));
        expect(ingestResponseSchema.parse(parseExtended(await again.text())).next.history).toBe(300);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it("takes the URL from STEPWISE_DATABASE_URL, and refuses one that is not postgres://", () => {
      const url = "postgres://stepwise@127.0.0.1:5432/stepwise";
      expect(loadConfig({}, { STEPWISE_DATABASE_URL: url }).database).toBe(url);
      expect(loadConfig({}, {}).database).toBeUndefined();
      expect(() => loadConfig({ database: "mysql://x" }, {})).toThrow(UsageError);
    });
  },
);
