/**
 * `run.alert()`: checks the alert at the call (a bad title, text, level or wait throws an
 * InvalidDataError and nothing is recorded) and leaves out an alert whose title was sent less
 * than `waitDurationMs` ago, as W&B's `wait_duration` does. An alert that passes becomes an
 * `alert` record of the run log: the uploader sends it with the meta stream (live online; at
 * `stepwise sync` for an offline run, where the server marks it late).
 */
import { alertProblem, InvalidDataError, type AlertLevel, type AlertRecord } from "@stepwise/protocol";

export interface AlertOptions {
  /** 1–63 characters; alerts with the same title are rate-limited by `waitDurationMs`. */
  title: string;
  /** The message (up to 4,096 characters). Default "". */
  text?: string;
  /** "INFO" (default), "WARN" or "ERROR". */
  level?: AlertLevel;
  /** An alert with this title is not sent again until this many milliseconds have passed. Default 0. */
  waitDurationMs?: number;
}

export class RunAlerts {
  /** Title → Date.now() of the last alert sent with it. */
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The record to append, or null when an alert with this title was sent within `waitDurationMs`. */
  accept(options: AlertOptions, step: number): AlertRecord | null {
    if (typeof options !== "object" || options === null)
      throw new InvalidDataError(
        "run.alert takes an object: run.alert({ title, text, level, waitDurationMs })",
      );
    const { title, text = "", level = "INFO", waitDurationMs = 0 } = options;
    const problem = alertProblem(title, text, level);
    if (problem !== null) throw new InvalidDataError(`run.alert: ${problem}`);
    if (typeof waitDurationMs !== "number" || !Number.isFinite(waitDurationMs) || waitDurationMs < 0)
      throw new InvalidDataError(
        `run.alert: waitDurationMs must be a finite number of milliseconds ≥ 0, not ${String(waitDurationMs)}`,
      );
    const now = this.now();
    const last = this.lastSent.get(title);
    if (last !== undefined && now - last < waitDurationMs) return null;
    this.lastSent.set(title, now);
    return { t: "alert", title, text, level, time: now / 1000, step };
  }
}
