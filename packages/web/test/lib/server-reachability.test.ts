import { describe, expect, it } from "vitest";
import {
  afterProbe,
  HEALTHY_PROBE_MS,
  isNetworkFailure,
  MAX_RETRY_MS,
  REACHABLE,
  retryDelayMs,
  unreachableMessage,
} from "../../src/lib/server-reachability.js";

describe("server reachability", () => {
  it("backs off 1 s, 2 s, 4 s … and stays at 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([
      1000,
      2000,
      4000,
      8000,
      16_000,
      MAX_RETRY_MS,
      MAX_RETRY_MS,
      MAX_RETRY_MS,
    ]);
  });

  it("turns unreachable on a network failure, retries sooner than it polls, and clears on an answer", () => {
    const down = afterProbe(REACHABLE, false, 10_000);
    expect(down).toEqual({ failures: 1, nextProbeAt: 11_000 });
    expect(unreachableMessage(down, "http://127.0.0.1:8080")).toBe(
      "The server at http://127.0.0.1:8080 is not reachable; retrying",
    );
    const still = afterProbe(down, false, 11_000);
    expect(still).toEqual({ failures: 2, nextProbeAt: 13_000 });
    const back = afterProbe(still, true, 13_000);
    expect(back).toEqual({ failures: 0, nextProbeAt: 13_000 + HEALTHY_PROBE_MS });
    expect(unreachableMessage(back, "http://x")).toBeNull();
  });

  it("counts only network failures, not aborts or other errors", () => {
    expect(isNetworkFailure(new TypeError("Failed to fetch"))).toBe(true);
    expect(isNetworkFailure(new DOMException("aborted", "AbortError"))).toBe(false);
    expect(isNetworkFailure(new Error("HTTP 500"))).toBe(false);
  });
});
