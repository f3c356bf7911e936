import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { decodeRunListCursor, encodeRunListCursor } from "../src/domain/run-list-cursor.js";

describe("run list cursors", () => {
  it("round-trips the sort key and refuses anything else with a clear error", () => {
    for (const cursor of [
      { missing: false, value: 1.5, pk: 3 },
      { missing: false, value: "b/c", pk: 1 },
      { missing: true, value: null, pk: 99 },
    ]) {
      expect(decodeRunListCursor(encodeRunListCursor(cursor))).toEqual(cursor);
    }
    expect(() => decodeRunListCursor("not-a-cursor")).toThrow(InvalidDataError);
    expect(() => decodeRunListCursor(Buffer.from("[0,{},1]").toString("base64url"))).toThrow(/nextCursor/);
  });
});
