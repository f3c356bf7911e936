/**
 * The settings of what a run records around the training code: console capture
 * (`consoleCapture`, default on; env STEPWISE_CONSOLE=off turns it off, as WANDB_CONSOLE=off)
 * and system metrics (`systemMetrics`, default on; env STEPWISE_SYSTEM_METRICS=false;
 * `systemMetricsIntervalMs`, default 15000, at least 100).
 */
import {
  SYSTEM_METRICS_DEFAULT_INTERVAL_MS,
  SYSTEM_METRICS_MIN_INTERVAL_MS,
  UsageError,
} from "@stepwise/protocol";
import type { InitSettings } from "./init-options.js";

export interface SurroundingsSettings {
  consoleCapture: boolean;
  systemMetrics: boolean;
  systemMetricsIntervalMs: number;
}

export function resolveSurroundings(
  settings: InitSettings,
  env: Record<string, string | undefined>,
): SurroundingsSettings {
  const consoleEnv = env["STEPWISE_CONSOLE"]?.toLowerCase();
  const statsEnv = env["STEPWISE_SYSTEM_METRICS"]?.toLowerCase();
  return {
    consoleCapture:
      flag("consoleCapture", settings.consoleCapture) ?? (consoleEnv !== "off" && consoleEnv !== "false"),
    systemMetrics:
      flag("systemMetrics", settings.systemMetrics) ?? (statsEnv !== "false" && statsEnv !== "off"),
    systemMetricsIntervalMs: interval(settings.systemMetricsIntervalMs),
  };
}

function flag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new UsageError(
    `init() option "settings.${name}" must be true or false, got ${JSON.stringify(value)}`,
  );
}

function interval(value: unknown): number {
  if (value === undefined) return SYSTEM_METRICS_DEFAULT_INTERVAL_MS;
  if (typeof value !== "number" || !Number.isFinite(value) || value < SYSTEM_METRICS_MIN_INTERVAL_MS)
    throw new UsageError(
      `init() option "settings.systemMetricsIntervalMs" must be a number of milliseconds ≥ ${SYSTEM_METRICS_MIN_INTERVAL_MS} (default ${SYSTEM_METRICS_DEFAULT_INTERVAL_MS}), got ${JSON.stringify(value)}`,
    );
  return Math.round(value);
}
