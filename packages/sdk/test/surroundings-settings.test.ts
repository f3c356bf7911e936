/** consoleCapture, systemMetrics and systemMetricsIntervalMs: defaults, environment, and refused values naming the setting. */
import { describe, expect, it } from "vitest";
import { UsageError } from "@stepwise/protocol";
import { resolveSettings } from "../src/settings/resolve-settings.js";

describe("console and system metrics settings", () => {
  it("are on by default, every 15 s, and turned off by the settings or the environment", () => {
    expect(resolveSettings({}, {}).surroundings).toEqual({
      consoleCapture: true,
      systemMetrics: true,
      systemMetricsIntervalMs: 15_000,
    });
    expect(
      resolveSettings(
        { settings: { consoleCapture: false, systemMetrics: false, systemMetricsIntervalMs: 2500 } },
        {},
      ).surroundings,
    ).toEqual({ consoleCapture: false, systemMetrics: false, systemMetricsIntervalMs: 2500 });
    const env = { STEPWISE_CONSOLE: "off", STEPWISE_SYSTEM_METRICS: "false" };
    expect(resolveSettings({}, env).surroundings).toMatchObject({
      consoleCapture: false,
      systemMetrics: false,
    });
    // An explicit setting wins over the environment.
    expect(resolveSettings({ settings: { consoleCapture: true } }, env).surroundings.consoleCapture).toBe(
      true,
    );
  });

  it("refuses values that are not what each setting takes, naming it and the fix", () => {
    const refused = (settings: Record<string, unknown>): string => {
      try {
        resolveSettings({ settings }, {});
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refused({ consoleCapture: "yes" })).toMatch(
      /settings\.consoleCapture" must be true or false, got "yes"/,
    );
    expect(refused({ systemMetrics: 1 })).toMatch(/settings\.systemMetrics" must be true or false/);
    expect(refused({ systemMetricsIntervalMs: 10 })).toMatch(
      /systemMetricsIntervalMs" must be a number of milliseconds ≥ 100 \(default 15000\), got 10/,
    );
    expect(refused({ systemMetricsIntervalMs: Number.NaN })).toMatch(/systemMetricsIntervalMs/);
    expect(refused({ systemMetricsIntervalMs: "5000" })).toMatch(/got "5000"/);
  });
});
