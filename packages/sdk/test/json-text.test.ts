/**
 * The run log's text of a row value (runlog/json-text.ts) is exactly protocol's extended JSON,
 * whichever encoder makes it: non-finite numbers anywhere, bigint, undefined members and array
 * items, class instances (toJSON ignored), deep nesting, escapes.
 */
import { describe, expect, it } from "vitest";
import { stringifyExtended } from "@stepwise/protocol";
import { jsonText } from "../src/runlog/json-text.js";

class WithToJson {
  a = 1;
  toJSON(): string {
    return "not this";
  }
}

let deep: unknown = { leaf: Number.NaN };
for (let i = 0; i < 20; i++) deep = { next: deep };

const values: unknown[] = [
  {
    _type: "image-file",
    path: "media/images/x_1_ab.png",
    sha256: "ab",
    size: 3,
    width: 2,
    height: 2,
    format: "png",
  },
  { nested: { list: [1, 2.5, -0, 'é\n"\u2028', true, null] } },
  { a: { b: [Number.NaN] } },
  { a: Number.POSITIVE_INFINITY, b: Number.NEGATIVE_INFINITY },
  [1, undefined, 3],
  { skipped: undefined, kept: 1 },
  { big: 12345678901234567890n },
  new WithToJson(),
  { inner: new WithToJson() },
  Object.assign(Object.create(null) as object, { x: 1 }),
  deep,
  "text",
  [],
  {},
];

describe("jsonText", () => {
  it("writes exactly the extended JSON of every value", () => {
    for (const value of values) expect(jsonText(value)).toBe(stringifyExtended(value));
  });
});
