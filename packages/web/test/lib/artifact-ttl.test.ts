import { describe, expect, it } from "vitest";
import { describeTtl } from "../../src/lib/artifact-ttl.js";
import { formatDateTime } from "../../src/lib/time-format.js";

describe("describeTtl", () => {
  const created = 1_700_000_000;
  it("says a version without TTL is kept", () => {
    expect(describeTtl(null, created, created + 10)).toBe("none (kept until deleted)");
  });
  it("names the span and when it runs out, or that it has", () => {
    expect(describeTtl(2 * 86_400, created, created + 10)).toBe(
      `2d 00h, expires ${formatDateTime(created + 2 * 86_400)}`,
    );
    expect(describeTtl(60, created, created + 60)).toBe(
      `1m 00s, expired ${formatDateTime(created + 60)} (deleted by retention unless newest, aliased or linked)`,
    );
  });
});
