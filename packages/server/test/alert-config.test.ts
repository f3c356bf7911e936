/** Alert destinations from flags, environment and a JSON file; each mistake named with its fix. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "@stepwise/protocol";
import { loadConfig } from "../src/config.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-alert-config-"));
  dirs.push(dir);
  const path = join(dir, "destinations.json");
  writeFileSync(path, content);
  return path;
}

describe("alert destinations", () => {
  it("has none by default, with a 10 s timeout and 5 tries", () => {
    expect(loadConfig({}, {}).alerts).toEqual({ destinations: [], timeoutS: 10, maxAttempts: 5, retryS: 2 });
  });

  it("reads webhooks from flags and the environment, and a JSON file with names and levels", () => {
    const path = file(
      JSON.stringify([{ name: "oncall", kind: "slack", url: "https://hooks.example/T1", levels: ["ERROR"] }]),
    );
    const config = loadConfig(
      { alertWebhook: "http://a.example/x, http://b.example/y", alertDestinations: path, alertAttempts: "3" },
      { STEPWISE_ALERT_SLACK_WEBHOOK: "https://hooks.example/T2", STEPWISE_ALERT_TIMEOUT_S: "2.5" },
    );
    expect(config.alerts?.destinations).toEqual([
      {
        name: "webhook:a.example",
        kind: "webhook",
        url: "http://a.example/x",
        levels: ["INFO", "WARN", "ERROR"],
      },
      {
        name: "webhook:b.example",
        kind: "webhook",
        url: "http://b.example/y",
        levels: ["INFO", "WARN", "ERROR"],
      },
      {
        name: "slack:hooks.example",
        kind: "slack",
        url: "https://hooks.example/T2",
        levels: ["INFO", "WARN", "ERROR"],
      },
      { name: "oncall", kind: "slack", url: "https://hooks.example/T1", levels: ["ERROR"] },
    ]);
    expect(config.alerts?.timeoutS).toBe(2.5);
    expect(config.alerts?.maxAttempts).toBe(3);
  });

  it("refuses bad URLs, files, kinds, levels, duplicate names and numbers, naming the option", () => {
    const cases: Array<[Parameters<typeof loadConfig>[0], Record<string, string>, RegExp]> = [
      [{ alertWebhook: "ftp://x.example/" }, {}, /--alert-webhook must be an http:\/\/ or https:\/\/ URL/],
      [{}, { STEPWISE_ALERT_SLACK_WEBHOOK: "not a url" }, /STEPWISE_ALERT_SLACK_WEBHOOK must be an http/],
      [
        { alertDestinations: "/nonexistent/alerts.json" },
        {},
        /--alert-destinations: cannot read \/nonexistent\/alerts.json/,
      ],
      [{ alertDestinations: file("{ not json") }, {}, /cannot read .* as JSON/],
      [
        { alertDestinations: file('[{ "kind": "email", "url": "http://x.example" }]') },
        {},
        /\[0\.kind\].*expected \[\{ "kind"/,
      ],
      [
        {
          alertDestinations: file('[{ "kind": "webhook", "url": "http://x.example", "levels": ["DEBUG"] }]'),
        },
        {},
        /\[0\.levels\.0\]/,
      ],
      [
        { alertWebhook: "http://x.example/a,http://x.example/b" },
        {},
        /two alert destinations are named "webhook:x.example"/,
      ],
      [{ alertTimeoutS: "0" }, {}, /--alert-timeout must be a number from 0.1 to 600/],
      [{ alertAttempts: "many" }, {}, /--alert-attempts must be a number from 1 to 100/],
    ];
    for (const [flags, env, message] of cases) {
      expect(() => loadConfig(flags, env)).toThrow(UsageError);
      expect(() => loadConfig(flags, env)).toThrow(message);
    }
  });
});
