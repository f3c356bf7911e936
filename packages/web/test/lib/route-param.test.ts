import { describe, expect, it } from "vitest";
import { decodeRouteParam } from "../../src/lib/route-param.js";

describe("decodeRouteParam", () => {
  it("decodes what encodeURIComponent encoded and decodeURI left", () => {
    expect(decodeRouteParam(decodeURI(encodeURIComponent("a+b,c@d=e")))).toBe("a+b,c@d=e");
    expect(decodeRouteParam("plain-id")).toBe("plain-id");
  });
  it("keeps a malformed escape and an absent parameter harmless", () => {
    expect(decodeRouteParam("100%")).toBe("100%");
    expect(decodeRouteParam(undefined)).toBe("");
  });
});
