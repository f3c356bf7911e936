import { describe, expect, it } from "vitest";
import { baseUrlHint, firstRunSnippet } from "../../src/lib/first-run-snippet.js";

describe("firstRunSnippet", () => {
  it("logs a first run to the given project", () => {
    expect(firstRunSnippet("vision")).toBe(
      [
        'import { init } from "@stepwise/sdk";',
        'const run = await init({ project: "vision" });',
        'for (let step = 0; step < 100; step++) run.log({ "train/loss": 1 / (step + 1) });',
        "await run.finish();",
      ].join("\n"),
    );
    expect(firstRunSnippet()).toContain('project: "my-project"');
    expect(firstRunSnippet('a"b')).toContain('project: "a\\"b"');
  });
  it("names the entity when it is not the SDK's default", () => {
    expect(firstRunSnippet("vision", "local")).toContain('init({ project: "vision" })');
    expect(firstRunSnippet("vision", "team")).toContain('init({ entity: "team", project: "vision" })');
  });
});

describe("baseUrlHint", () => {
  it("says nothing for the SDK's default server", () => {
    expect(baseUrlHint("http://127.0.0.1:8080")).toBeNull();
    expect(baseUrlHint("http://localhost:8080")).toBeNull();
  });
  it("names any other server", () => {
    expect(baseUrlHint("http://127.0.0.1:8092")).toBe("STEPWISE_BASE_URL=http://127.0.0.1:8092");
    expect(baseUrlHint("https://tracker.example.com")).toBe("STEPWISE_BASE_URL=https://tracker.example.com");
  });
});
