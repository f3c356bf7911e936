/**
 * Alerts end to end on PostgreSQL with two API servers on one database, both configured with
 * the same webhook: the alerts a run raises through one server reach a real HTTP receiver once
 * each (not once per server), and both servers list them as delivered with one try each.
 * Real PostgreSQL (support/postgres-process.ts); skipped only where its binaries are absent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertPaths, type AlertDto, type AlertListResponse, type AlertRecord } from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const RUN = { entity: "local", project: "alerting", runId: "r1" };
const TITLES = ["one", "two", "three", "four", "five"];

/** A webhook that answers 200 and keeps the title of every alert posted to it. */
async function receiver(): Promise<{ url: string; titles: string[]; server: Server }> {
  const titles: string[] = [];
  const http = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      titles.push((JSON.parse(body) as { title: string }).title);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`, titles, server: http };
}

async function listed(api: TestServer): Promise<AlertDto[]> {
  return ((await (await api.fetch(alertPaths.run(RUN))).json()) as AlertListResponse).alerts;
}

describe.skipIf(missing !== null)(
  `alert delivery on PostgreSQL${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("delivers each alert once to a webhook both servers are configured with", async () => {
      const hook = await receiver();
      const database = await (server as PostgresProcess).createDatabase();
      const dataDir = await mkdtemp(join(tmpdir(), "stepwise-pg-alerts-"));
      try {
        await using a = await startTestServer({ database, alertWebhook: hook.url }, dataDir);
        await using b = await startTestServer({ database, alertWebhook: hook.url }, dataDir);
        const now = Date.now() / 1000;
        const records: AlertRecord[] = TITLES.map((title, step) => ({
          t: "alert",
          title,
          text: `${title} text`,
          level: "WARN",
          time: now,
          step,
        }));
        expect((await a.ingest(RUN, { meta: { offset: 0, records } })).status).toBe(200);
        const deadline = Date.now() + 30_000;
        while (hook.titles.length < TITLES.length && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 100));
        // Time for a second delivery, were one to come: both servers poll every 200 ms.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect([...hook.titles].sort()).toEqual([...TITLES].sort());
        for (const api of [a, b]) {
          const alerts = await listed(api);
          expect(alerts.map((x) => [x.title, x.delivery, x.attempts.length]).sort()).toEqual(
            TITLES.map((t) => [t, "delivered", 1]).sort(),
          );
        }
      } finally {
        hook.server.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  },
);
