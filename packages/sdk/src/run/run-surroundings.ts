/**
 * What a run records around the training code, started with the run and stopped just before
 * its exit record: console capture (console/capture/) and system metrics (system/), each into
 * the run log, so that both are durable, uploaded live and replayed by `stepwise sync`.
 */
import { CONSOLE_LIMITS } from "@stepwise/protocol";
import { ConsoleCapture } from "../console/capture/console-capture.js";
import type { Terminal } from "../console/terminal.js";
import type { RunLogWriter } from "../runlog/run-log-writer.js";
import type { SurroundingsSettings } from "../settings/surroundings-settings.js";
import { SystemMetrics } from "../system/system-metrics.js";

export interface RunSurroundings {
  /** Sends the console's last lines and stops both; safe to call twice. */
  stop(): void;
}

export function startSurroundings(
  settings: SurroundingsSettings,
  writer: RunLogWriter,
  terminal: Terminal,
  run: { dir: string; startedAt: number; runtimeOffset: number },
): RunSurroundings {
  const capture = settings.consoleCapture
    ? new ConsoleCapture({ append: (_, json) => writer.appendJson(json), maxBytes: consoleMaxBytes() })
    : null;
  const system = settings.systemMetrics
    ? new SystemMetrics({
        intervalMs: settings.systemMetricsIntervalMs,
        dir: run.dir,
        startedAt: run.startedAt,
        runtimeOffset: run.runtimeOffset,
        append: (record) => writer.append(record),
        warn: (cause, message) => terminal.warnOnce(cause, message),
      })
    : null;
  capture?.start();
  system?.start();
  return {
    stop: () => {
      system?.stop();
      capture?.stop();
    },
  };
}

/** STEPWISE_CONSOLE_MAX_BYTES: bytes of console lines kept per run (default 32 MiB). */
function consoleMaxBytes(): number {
  const value = Number(process.env["STEPWISE_CONSOLE_MAX_BYTES"]);
  return Number.isInteger(value) && value > 0 ? value : CONSOLE_LIMITS.runBytes;
}
