/**
 * The server serves the built web UI: files with their content types and caching, `index.html`
 * for any other path (the app's router opens it), the API untouched, nothing outside the
 * directory, and the how-to-build page when there is no build.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rawRequest, startTestServer } from "./http-harness.js";

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/app.js"></script></body></html>';
const SCRIPT = "console.log('app');";
const SECRET = "the-secret-content";
let webRoot = "";

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), "stepwise-web-root-"));
  await mkdir(join(webRoot, "assets"));
  await writeFile(join(webRoot, "index.html"), INDEX);
  await writeFile(join(webRoot, "assets", "app.js"), SCRIPT);
  await writeFile(join(webRoot, "assets", "app.css"), "body{}");
  await writeFile(join(webRoot, "favicon.svg"), "<svg/>");
  // A secret beside the root: no request path may reach it.
  await writeFile(join(webRoot, "..", `${webRoot.split("/").pop() ?? ""}-secret.txt`), SECRET);
});
afterAll(async () => {
  await rm(webRoot, { recursive: true, force: true });
  await rm(`${webRoot}-secret.txt`, { force: true });
});

describe("with a web UI build", () => {
  test("serves index.html at / and assets with their content types; hashed assets are cached long", async () => {
    await using t = await startTestServer({ webRoot, trustLoopback: false });
    const index = await t.fetch("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expect(await index.text()).toBe(INDEX);
    const script = await t.fetch("/assets/app.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await script.text()).toBe(SCRIPT);
    expect((await t.fetch("/assets/app.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
    const icon = await t.fetch("/favicon.svg");
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  test("any other path gets index.html so the app can route it (SPA fallback), query string ignored", async () => {
    await using t = await startTestServer({ webRoot });
    for (const path of [
      "/local/my-project",
      "/local/my-project/runs/abc123?x=_step",
      "/local/p/compare?runs=a,b",
    ]) {
      const response = await t.fetch(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toBe(INDEX);
    }
    // An absolute-form request target (as a proxy sends it) names the same page.
    const absolute = await rawRequest(t.url, { path: `${t.url}/local/my-project` });
    expect(absolute.status).toBe(200);
    expect(absolute.body).toBe(INDEX);
  });

  test("a missing asset is a 404, not the page (a script request must not get HTML)", async () => {
    await using t = await startTestServer({ webRoot });
    const response = await t.fetch("/assets/missing-abc.js");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
  });

  test("the API keeps its rules: an unknown endpoint is a JSON 404, no key is a 401", async () => {
    await using t = await startTestServer({ webRoot, trustLoopback: false });
    const unknown = await t.fetch("/api/v1/unknown", { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    expect((await t.fetch("/api/v1/entities")).status).toBe(401);
    expect(
      (await t.fetch("/api/v1/viewer", { headers: { authorization: `Bearer ${t.adminKey}` } })).status,
    ).toBe(200);
  });

  test("paths that try to leave the directory are 404s, however they are spelled", async () => {
    await using t = await startTestServer({ webRoot });
    const secret = `${webRoot.split("/").pop() ?? ""}-secret.txt`;
    for (const path of [
      "/..%2f..%2fetc/passwd",
      "/assets/../../x",
      `/../${secret}`,
      `/assets/..%2F..%2F${secret}`,
      `/%2e%2e/${secret}`,
      "/assets/..%5c..%5cx",
      "/./index.html",
      "/assets/%00.js",
      "/%ZZ",
    ]) {
      const response = await rawRequest(t.url, { path });
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.body, path).not.toContain("<html");
    }
  });

  test("HEAD answers like GET without a body", async () => {
    await using t = await startTestServer({ webRoot });
    const script = await rawRequest(t.url, { method: "HEAD", path: "/assets/app.js" });
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["content-length"]).toBe(String(SCRIPT.length));
    expect(script.body).toBe("");
    const page = await rawRequest(t.url, { method: "HEAD", path: "/local/p" });
    expect(page.status).toBe(200);
    expect(page.body).toBe("");
  });
});

describe("without a web UI build", () => {
  test("/ is the home page that says how to build the UI; other paths are 404s", async () => {
    const empty = await mkdtemp(join(tmpdir(), "stepwise-web-empty-"));
    try {
      for (const root of [empty, join(empty, "missing")]) {
        await using t = await startTestServer({ webRoot: root, trustLoopback: false });
        const home = await t.fetch("/");
        expect(home.status).toBe(200);
        expect(await home.text()).toContain("npm run build -w @stepwise/web");
        expect((await t.fetch("/local/p")).status).toBe(404);
        expect((await t.fetch("/assets/app.js")).status).toBe(404);
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
