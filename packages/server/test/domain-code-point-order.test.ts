import { expect, it } from "vitest";
import { compareCodePoints } from "../src/domain/code-point-order.js";

it("orders strings as their UTF-8 bytes do (SQLite's TEXT order), not by UTF-16 code units", () => {
  const words = ["b", "a\u{1F600}", "a\uFFFD", "a", "ab", "a\uE000", "A", "_x", "a\u00E9"];
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  expect([...words].sort(compareCodePoints)).toEqual(byBytes);
  expect(byBytes.indexOf("a\uFFFD")).toBeLessThan(byBytes.indexOf("a\u{1F600}"));
  expect(compareCodePoints("same", "same")).toBe(0);
});
