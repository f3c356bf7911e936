/** The loader custom charts draw through: loads nothing; images and links only on this origin. */
import { describe, expect, test } from "vitest";
import { inlineOnlyLoader, refusalOf } from "../../src/lib/inline-only-loader.js";

const ORIGIN = "http://127.0.0.1:8080";

describe("inlineOnlyLoader", () => {
  test("every data load is refused and reported", async () => {
    const refused: string[] = [];
    const loader = inlineOnlyLoader(ORIGIN, (m) => refused.push(m));
    await expect(loader.load("http://127.0.0.1:9/rows.json")).rejects.toThrow("is not loaded");
    await expect(loader.load("/api/v1/viewer")).rejects.toThrow("is not loaded");
    await expect(loader.http("x.json")).rejects.toThrow("is not loaded");
    await expect(loader.file("/etc/passwd")).rejects.toThrow("is not loaded");
    expect(refused).toHaveLength(4);
  });

  test("images and links: other hosts and schemes refused, this origin passes", async () => {
    const loader = inlineOnlyLoader(ORIGIN, () => undefined);
    await expect(loader.sanitize("/files/a.png", { context: "image" })).resolves.toEqual({
      href: "/files/a.png",
    });
    await expect(loader.sanitize("data:image/png;base64,AA", { context: "image" })).resolves.toBeTruthy();
    await expect(loader.sanitize("http://evil.example/p.png", { context: "image" })).rejects.toThrow(
      "image refused",
    );
    await expect(loader.sanitize("javascript:alert(1)", { context: "href" })).rejects.toThrow("link refused");
    expect(refusalOf("java\nscript:alert(1)", "href", ORIGIN)).toContain("leaves this app");
    expect(refusalOf("//evil.example/", "href", ORIGIN)).toContain("leaves this app");
    expect(refusalOf("data:text/html,<b>", "href", ORIGIN)).toContain("leaves this app");
    expect(refusalOf("runs/a", "href", ORIGIN)).toBeNull();
  });
});
