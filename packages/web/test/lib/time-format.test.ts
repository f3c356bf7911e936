import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDuration,
  formatRelativeTime,
  runDuration,
} from "../../src/lib/time-format.js";

describe("formatDuration", () => {
  it("picks the two largest units", () => {
    expect(formatDuration(0.42)).toBe("0.4s");
    expect(formatDuration(42)).toBe("42s");
    expect(formatDuration(185)).toBe("3m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(2 * 86_400 + 3 * 3600 + 59)).toBe("2d 03h");
  });
  it("shows a dash for what is not a duration", () => {
    expect(formatDuration(-1)).toBe("–");
    expect(formatDuration(Number.NaN)).toBe("–");
  });
});

describe("formatRelativeTime", () => {
  const now = 1_800_000_000;
  it("reads like a person would say it", () => {
    expect(formatRelativeTime(now - 10, now)).toBe("just now");
    expect(formatRelativeTime(now - 300, now)).toBe("5m ago");
    expect(formatRelativeTime(now - 3 * 3600, now)).toBe("3h ago");
    expect(formatRelativeTime(now - 2 * 86_400, now)).toBe("2d ago");
  });
  it("falls back to the date after a month", () => {
    expect(formatRelativeTime(now - 60 * 86_400, now)).toBe(formatDateTime(now - 60 * 86_400).slice(0, 10));
  });
});

describe("runDuration", () => {
  it("ends at finish, or at the last heartbeat of a run still going", () => {
    expect(runDuration({ createdAt: 100, heartbeatAt: 150, finishedAt: 200 })).toBe(100);
    expect(runDuration({ createdAt: 100, heartbeatAt: 150, finishedAt: null })).toBe(50);
  });
});
