/**
 * `run.alert` end to end: the real SDK, a real server (in process, on 127.0.0.1) configured with
 * webhook destinations, and a real HTTP receiver. Compared with what the test raised.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiPaths, stringifyExtended, type AlertDto, type AlertListResponse } from "@stepwise/protocol";
import { loadConfig, startServer, type RunningServer } from "@stepwise/server";
import { init, InvalidDataError, RunLogReader, syncRunDirectory } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.js";

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server delivering INFO/WARN/ERROR to /ok (webhook) and /slack (Slack); ERROR also to /fail and /hang. */
async function setup(): Promise<{ server: RunningServer; receiver: WebhookReceiver }> {
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-alerts-"));
  const file = join(dataDir, "..", `alert-destinations-${Date.now()}-${Math.random()}.json`);
  writeFileSync(
    file,
    JSON.stringify([
      { name: "ok", kind: "webhook", url: `${receiver.url}/ok` },
      { name: "slack", kind: "slack", url: `${receiver.url}/slack` },
      { name: "fail", kind: "webhook", url: `${receiver.url}/fail`, levels: ["ERROR"] },
      { name: "hang", kind: "webhook", url: `${receiver.url}/hang`, levels: ["ERROR"] },
    ]),
  );
  const config = loadConfig({
    port: 0,
    host: "127.0.0.1",
    data: dataDir,
    alertDestinations: file,
    alertTimeoutS: 0.5,
    alertAttempts: 3,
    alertRetryS: 0.1,
  });
  const server = await startServer(config, { log: () => undefined });
  cleanups.push(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(file, { force: true });
  });
  return { server, receiver };
}

async function runAlerts(server: RunningServer, path: string): Promise<AlertDto[]> {
  const response = await fetch(`${server.url}/api/v1/runs/${path}/alerts`);
  expect(response.status).toBe(200);
  return ((await response.json()) as AlertListResponse).alerts;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("run.alert", () => {
  it("delivers to a webhook within seconds, not again within waitDurationMs, and as a Slack message", async () => {
    const { server, receiver } = await setup();
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "alerts",
      settings: { silent: true },
    });
    run.log({ loss: 3 });
    const raisedAt = Date.now();
    run.alert({
      title: "Loss diverged",
      text: "loss went to 3 at step 0",
      level: "WARN",
      waitDurationMs: 60_000,
    });
    run.alert({ title: "Loss diverged", text: "again, suppressed", level: "WARN", waitDurationMs: 60_000 });
    run.log({ loss: 2 });
    await receiver.waitFor((r) => r.some((x) => x.path === "/ok"), 5000);
    const first = receiver.at("/ok")[0];
    expect(first!.at - raisedAt, "delivered within 5 s").toBeLessThan(5000);
    expect(first!.body).toMatchObject({
      type: "stepwise.alert",
      title: "Loss diverged",
      text: "loss went to 3 at step 0",
      level: "WARN",
      step: 1,
      late: false,
      run: { entity: run.entity, project: "alerts", id: run.id, name: run.name },
    });
    expect((first!.body["run"] as { url: string }).url).toBe(
      `${server.url}/${run.entity}/alerts/runs/${run.id}`,
    );
    run.alert({ title: "Done", text: "finished training" });
    await run.finish();
    await receiver.waitFor((r) => r.filter((x) => x.path === "/ok").length >= 2, 5000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Exactly what was raised, in order: the repeat within waitDurationMs never left the SDK.
    expect(receiver.at("/ok").map((r) => [r.body["title"], r.body["level"]])).toEqual([
      ["Loss diverged", "WARN"],
      ["Done", "INFO"],
    ]);
    // A WARN/INFO alert does not go to the ERROR-only destinations.
    expect(receiver.at("/fail")).toEqual([]);
    const slack = receiver
      .at("/slack")
      .find((r) => typeof r.body["text"] === "string" && r.body["text"].includes("Loss diverged"));
    expect(slack?.body["text"]).toBe("WARN: Loss diverged\nloss went to 3 at step 0");
    const blocks = slack?.body["blocks"] as Array<{
      type: string;
      text?: { text: string };
      elements?: Array<{ text: string }>;
    }>;
    expect(blocks[0]?.type).toBe("section");
    expect(blocks[0]?.text?.text).toBe(":warning: *Loss diverged*\nloss went to 3 at step 0");
    expect(blocks[1]?.elements?.[0]?.text).toContain(
      `<${server.url}/${run.entity}/alerts/runs/${run.id}|${run.name}>`,
    );

    const stored = await until(
      () => runAlerts(server, run.path),
      (alerts) => alerts.every((a) => a.delivery === "delivered"),
      3000,
    );
    expect(stored.map((a) => [a.title, a.text, a.level, a.late, a.delivery])).toEqual([
      ["Done", "finished training", "INFO", false, "delivered"],
      ["Loss diverged", "loss went to 3 at step 0", "WARN", false, "delivered"],
    ]);
    expect(stored[1]!.attempts.map((a) => [a.destination, a.ok, a.status]).sort()).toEqual([
      ["ok", true, 200],
      ["slack", true, 200],
    ]);
  }, 30_000);

  it("retries a failing and a hanging webhook with a delivery log, while ingestion goes on", async () => {
    const { server, receiver } = await setup();
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "alerts",
      settings: { silent: true },
    });
    run.alert({ title: "NaN loss", text: "loss is NaN", level: "ERROR" });
    // While /hang holds requests open and /fail answers 500, rows keep reaching the server.
    await receiver.waitFor((r) => r.some((x) => x.path === "/hang"), 5000);
    const loggedAt = Date.now();
    for (let i = 0; i < 200; i++) run.log({ step_value: i });
    const history = await until(
      async () =>
        (await fetch(`${server.url}/api/v1/runs/${run.path}`)).json() as Promise<{ lastStep: number | null }>,
      (r) => r.lastStep === 199,
      5000,
    );
    expect(history.lastStep).toBe(199);
    expect(Date.now() - loggedAt, "rows stored while the webhook hangs").toBeLessThan(5000);
    const stored = await until(
      () => runAlerts(server, run.path),
      (alerts) => alerts[0]?.delivery === "failed" && alerts[0].attempts.length === 8,
      10_000,
    );
    const alert = stored[0]!;
    expect(alert.delivery).toBe("failed");
    const by = (name: string): Array<[number, boolean, number | null, string | null]> =>
      alert.attempts.filter((a) => a.destination === name).map((a) => [a.attempt, a.ok, a.status, a.error]);
    expect(by("fail")).toEqual([
      [1, false, 500, "HTTP 500"],
      [2, false, 500, "HTTP 500"],
      [3, false, 500, "HTTP 500"],
    ]);
    expect(by("hang")).toEqual([
      [1, false, null, "no answer within 0.5 s"],
      [2, false, null, "no answer within 0.5 s"],
      [3, false, null, "no answer within 0.5 s"],
    ]);
    expect(by("ok")).toEqual([[1, true, 200, null]]);
    // Backoff: each retry of /fail comes at least retryS · 2^(n-1) after the one before.
    const fails = receiver.at("/fail").map((r) => r.at);
    expect(fails).toHaveLength(3);
    expect(fails[1]! - fails[0]!).toBeGreaterThanOrEqual(90);
    expect(fails[2]! - fails[1]!).toBeGreaterThanOrEqual(190);
    await run.finish();
  }, 30_000);

  it("stops without waiting for a hanging webhook, and tries the delivery again after a restart", async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const dataDir = tempDir();
    const config = loadConfig({
      port: 0,
      host: "127.0.0.1",
      data: dataDir,
      alertWebhook: `${receiver.url}/hang/1`,
      alertTimeoutS: 60,
    });
    const first = await startServer(config, { log: () => undefined });
    const run = await init({
      dir: tempDir(),
      baseUrl: first.url,
      project: "alerts",
      settings: { silent: true },
    });
    run.alert({ title: "Stuck", text: "hanging receiver" });
    await run.finish();
    await receiver.waitFor((r) => r.length === 1, 5000);
    const closing = Date.now();
    await first.close();
    expect(Date.now() - closing, "close() does not wait for the 60 s delivery timeout").toBeLessThan(5000);
    const second = await startServer(config, { log: () => undefined });
    cleanups.push(() => second.close());
    await receiver.waitFor((r) => r.length === 2, 5000);
    expect(receiver.received.map((r) => r.body["title"])).toEqual(["Stuck", "Stuck"]);
    const [stored] = await runAlerts(second, run.path);
    // The cut-short try was not counted: the delivery is still pending, with no failed attempt.
    expect(stored?.delivery).toBe("pending");
    expect(stored?.attempts).toEqual([]);
  }, 30_000);

  it("delivers an offline run's alert at sync, marked late", async () => {
    const { server, receiver } = await setup();
    const run = await init({
      dir: tempDir(),
      mode: "offline",
      project: "offline-alerts",
      settings: { silent: true },
    });
    run.log({ acc: 0.5 });
    run.alert({ title: "Accuracy plateau", text: "acc stuck at 0.5", level: "INFO" });
    await run.finish();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received, "nothing is sent while offline").toEqual([]);
    await syncRunDirectory(run.dir, { baseUrl: server.url });
    await receiver.waitFor((r) => r.some((x) => x.path === "/ok"), 5000);
    expect(receiver.at("/ok")[0]!.body).toMatchObject({
      title: "Accuracy plateau",
      text: "acc stuck at 0.5",
      late: true,
      step: 1,
    });
    expect(receiver.at("/slack")[0]!.body["text"]).toBe(
      "INFO: Accuracy plateau (delivered late: the run was offline)\nacc stuck at 0.5",
    );
    const stored = await until(
      () => runAlerts(server, run.path),
      (a) => a[0]?.delivery === "delivered",
      3000,
    );
    expect(stored.map((a) => [a.title, a.late, a.delivery])).toEqual([
      ["Accuracy plateau", true, "delivered"],
    ]);
    // A second sync re-sends nothing new: still one alert, delivered once.
    await syncRunDirectory(run.dir, { baseUrl: server.url });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runAlerts(server, run.path)).toHaveLength(1);
    expect(receiver.at("/ok")).toHaveLength(1);
    // The project and the recent list show it too.
    const project = (await (
      await fetch(`${server.url}/api/v1/alerts/${run.entity}/offline-alerts`)
    ).json()) as AlertListResponse;
    expect(project.alerts.map((a) => a.title)).toEqual(["Accuracy plateau"]);
    const recent = (await (await fetch(`${server.url}/api/v1/alerts?limit=5`)).json()) as AlertListResponse;
    expect(recent.alerts.map((a) => a.runId)).toEqual([run.id]);
  }, 30_000);

  it("refuses bad titles, texts, levels and waits at the call, keeping nothing of them", async () => {
    const run = await init({
      dir: tempDir(),
      mode: "offline",
      project: "bad-alerts",
      settings: { silent: true },
    });
    const bad: Array<[Parameters<typeof run.alert>[0], RegExp]> = [
      [{ title: "" }, /title must be a non-empty string/],
      [{ title: "   " }, /title must be a non-empty string/],
      [{ title: "x".repeat(64) }, /title is 64 characters; it must be under 64/],
      [{ title: "ok", text: "y".repeat(4097) }, /text is 4097 characters/],
      [{ title: "a\u0000b" }, /alert title holds U\+0000 \(NUL\)/],
      [{ title: "ok", text: "a\u0000b" }, /alert text holds U\+0000 \(NUL\)/],
      [{ title: "ok", level: "DEBUG" as "INFO" }, /level "DEBUG" is unknown: use one of INFO, WARN, ERROR/],
      [{ title: "ok", waitDurationMs: -1 }, /waitDurationMs must be a finite number/],
      [{ title: "ok", waitDurationMs: Number.NaN }, /waitDurationMs must be a finite number/],
    ];
    for (const [options, message] of bad) {
      expect(() => run.alert(options)).toThrow(InvalidDataError);
      expect(() => run.alert(options)).toThrow(message);
    }
    run.alert({ title: "t".repeat(63), text: "the longest title", level: "ERROR" });
    await run.finish();
    expect(() => run.alert({ title: "late" })).toThrow(/is finished/);
    const alerts = [...new RunLogReader(join(run.dir, `run-${run.id}.swlog`)).records()]
      .map((e) => e.record)
      .filter((r) => r.t === "alert");
    expect(alerts.map((a) => a.t === "alert" && [a.title, a.text, a.level])).toEqual([
      ["t".repeat(63), "the longest title", "ERROR"],
    ]);
  });

  it("the server refuses an alert record with a bad title with 400, never 5xx", async () => {
    const { server } = await setup();
    const ref = { entity: "e", project: "p", runId: "r1" };
    const send = (title: string, level = "INFO"): Promise<Response> =>
      fetch(server.url + apiPaths.ingest(ref), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stringifyExtended({
          meta: { offset: 0, records: [{ t: "alert", title, text: "", level, time: 1, step: 0 }] },
        }),
      });
    for (const [title, level] of [
      ["x".repeat(64), "INFO"],
      ["", "INFO"],
      ["ok", "FATAL"],
    ] as const) {
      const response = await send(title, level);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INVALID_DATA");
    }
    expect((await send("fine")).status).toBe(200);
  });
});
