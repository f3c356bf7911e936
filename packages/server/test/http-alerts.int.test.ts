/**
 * The alert routes against a real server: alerts sent as meta records are listed per run, per
 * project and across projects, newest first, with what was sent; late when received long after
 * they were raised or with a sync replay; a re-sent batch adds nothing; kept across a restart;
 * bad limits and unknown runs are 4xx, never 5xx.
 */
import { describe, expect, it } from "vitest";
import {
  alertPaths,
  apiPaths,
  createApiKeyResponseSchema,
  type AlertDto,
  type AlertListResponse,
  type IngestBatch,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";

const RUN = { entity: "local", project: "alerting", runId: "r1" };
const OTHER = { entity: "local", project: "quiet", runId: "r2" };

async function list(server: TestServer, path: string): Promise<AlertDto[]> {
  const response = await server.fetch(path);
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as AlertListResponse).alerts;
}

function alert(title: string, time: number, step: number, level: "INFO" | "WARN" | "ERROR" = "INFO") {
  return { t: "alert" as const, title, text: `${title} text`, level, time, step };
}

describe("alert routes", () => {
  it("lists what was sent, marks late ones, ignores re-sends and keeps alerts across a restart", async () => {
    const server = await startTestServer();
    const now = Date.now() / 1000;
    const first: IngestBatch = {
      meta: {
        offset: 0,
        records: [
          alert("fresh", now, 3, "WARN"),
          { t: "config", update: { lr: 1 } },
          alert("old", now - 600, 4, "ERROR"),
        ],
      },
    };
    expect((await server.ingest(RUN, first)).status).toBe(200);
    expect((await server.ingest(RUN, first)).status).toBe(200);
    expect(
      (await server.ingest(RUN, { meta: { offset: 3, records: [alert("synced", now, 5)] }, replay: true }))
        .status,
    ).toBe(200);
    expect(
      (await server.ingest(OTHER, { meta: { offset: 0, records: [alert("elsewhere", now, 0)] } })).status,
    ).toBe(200);

    const runAlerts = await list(server, alertPaths.run(RUN));
    expect(runAlerts.map((a) => [a.title, a.text, a.level, a.step, a.late, a.runId, a.project])).toEqual([
      ["synced", "synced text", "INFO", 5, true, "r1", "alerting"],
      ["old", "old text", "ERROR", 4, true, "r1", "alerting"],
      ["fresh", "fresh text", "WARN", 3, false, "r1", "alerting"],
    ]);
    expect(runAlerts[2]!.time).toBeCloseTo(now, 3);
    expect((await list(server, alertPaths.project("local", "quiet"))).map((a) => a.title)).toEqual([
      "elsewhere",
    ]);
    expect((await list(server, alertPaths.recent(2))).map((a) => a.title)).toEqual(["elsewhere", "synced"]);
    // No destination configured: each alert ends as "none", with no tries.
    const settled = await poll(
      () => list(server, alertPaths.run(RUN)),
      (a) => a.every((x) => x.delivery === "none"),
    );
    expect(settled.flatMap((a) => a.attempts)).toEqual([]);

    await server.stop();
    const again = await startTestServer({}, server.dataDir);
    try {
      expect((await list(again, alertPaths.run(RUN))).map((a) => a.title)).toEqual([
        "synced",
        "old",
        "fresh",
      ]);
    } finally {
      await again[Symbol.asyncDispose]();
      await server[Symbol.asyncDispose]();
    }
  });

  it("answers bad limits with 400 naming query.limit, and an unknown run with 404", async () => {
    await using server = await startTestServer();
    for (const limit of ["0", "1001", "abc", "-1", "1e3", "", "2.5"]) {
      const response = await server.fetch(`/api/v1/alerts?limit=${encodeURIComponent(limit)}`);
      expect(response.status, limit).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("INVALID_DATA");
      expect(body.error.message).toContain("query.limit");
    }
    expect(
      (await server.fetch(alertPaths.run({ entity: "local", project: "p", runId: "nope" }))).status,
    ).toBe(404);
    expect((await server.fetch("/api/v1/alerts/local/%00bad")).status).toBe(400);
  });

  it("requires a key when the server does not trust this machine; a key of one entity sees that entity's alerts", async () => {
    await using server = await startTestServer({ trustLoopback: false });
    expect((await server.fetch(alertPaths.recent())).status).toBe(401);
    const admin = { authorization: `Bearer ${server.adminKey}` };
    const created = await server.send(
      "POST",
      apiPaths.keys(),
      { name: "team key", entity: "team" },
      { key: server.adminKey },
    );
    expect(created.status).toBe(201);
    const team = { authorization: `Bearer ${createApiKeyResponseSchema.parse(await created.json()).key}` };
    const now = Date.now() / 1000;
    const sent = [
      [{ entity: "team", project: "p", runId: "t1" }, "team alert"],
      [RUN, "local alert"],
    ] as const;
    for (const [ref, title] of sent) {
      const batch = { meta: { offset: 0, records: [alert(title, now, 0)] } };
      expect((await server.send("POST", apiPaths.ingest(ref), batch, { key: server.adminKey })).status).toBe(
        200,
      );
    }
    const recent = async (headers: Record<string, string>): Promise<string[]> =>
      (
        (await (await server.fetch(alertPaths.recent(1), { headers })).json()) as AlertListResponse
      ).alerts.map((a) => a.title);
    expect(await recent(admin)).toEqual(["local alert"]);
    // limit=1: the team key's one alert, not the newest of all filtered away.
    expect(await recent(team)).toEqual(["team alert"]);
    expect((await server.fetch(alertPaths.project("local", "alerting"), { headers: team })).status).toBe(403);
    expect((await server.fetch(alertPaths.run(RUN), { headers: team })).status).toBe(403);
  });
});

async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
