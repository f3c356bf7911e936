/** The rule that keeps chart specs inside the page: each way out found and named by its path. */
import { describe, expect, test } from "vitest";
import { findUnsafeSpecPart, isSameOriginPath } from "../src/vega-spec-safety.js";

describe("findUnsafeSpecPart", () => {
  test("data URLs anywhere: top level, layers, Vega data arrays, lookups — whatever the value", () => {
    expect(findUnsafeSpecPart({ data: { url: "rows.json" } })?.path).toBe("spec.data.url");
    expect(findUnsafeSpecPart({ layer: [{}, { data: { url: "/api/v1/viewer" } }] })?.path).toBe(
      "spec.layer[1].data.url",
    );
    expect(findUnsafeSpecPart({ data: [{ name: "a" }, { name: "b", url: { signal: "u" } }] })?.path).toBe(
      "spec.data[1].url",
    );
    expect(
      findUnsafeSpecPart({ transform: [{ lookup: "k", from: { data: { url: "x.csv" }, key: "k" } }] })?.path,
    ).toBe("spec.transform[0].from.data.url");
  });

  test("links and images to other places, literal or as a channel's value; same-origin paths pass", () => {
    expect(findUnsafeSpecPart({ mark: { type: "point", href: "javascript:alert(1)" } })?.path).toBe(
      "spec.mark.href",
    );
    expect(findUnsafeSpecPart({ encoding: { href: { value: "https://evil.example" } } })?.reason).toContain(
      "links to",
    );
    expect(findUnsafeSpecPart({ encoding: { url: { value: "//evil.example/p.png" } } })?.reason).toContain(
      "loads an image",
    );
    expect(findUnsafeSpecPart({ "a b": [{ href: "http://x" }] })?.path).toBe('spec["a b"][0].href');
    expect(
      findUnsafeSpecPart({ mark: { href: "/local/p" }, encoding: { url: { field: "img" } } }),
    ).toBeNull();
    expect(findUnsafeSpecPart({ mark: { type: "image", url: "data:image/png;base64,AAAA" } })).toBeNull();
    expect(
      findUnsafeSpecPart({ data: { name: "table" }, $schema: "https://vega.github.io/x.json" }),
    ).toBeNull();
  });

  test("a path the URL parser turns into another host is not same-origin", () => {
    expect(isSameOriginPath("/runs/a")).toBe(true);
    expect(isSameOriginPath("//evil.example")).toBe(false);
    expect(isSameOriginPath("/\\evil.example")).toBe(false);
    expect(isSameOriginPath("/\t/evil.example")).toBe(false);
    expect(isSameOriginPath("https://evil.example")).toBe(false);
  });
});
