/**
 * `run.toHtml()`, `run.display()`, `run.projectName()` and `run.join()`: the iframe points at the
 * server's embed view of this run and that URL serves the web app framable by any origin; hidden
 * and height options; an offline run gets a note; display() is false outside a notebook and hands
 * the HTML to Deno's Jupyter display when that API is present; join() finishes and warns once.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig, startServer } from "@stepwise/server";
import { init, UsageError } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { Deno?: unknown }).Deno;
});

describe("run.toHtml and run.display", () => {
  it("makes an iframe of the server's embed view, which any origin may frame", async () => {
    const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: tempDir() }), {
      log: () => undefined,
    });
    try {
      const run = await init({
        dir: tempDir(),
        baseUrl: server.url,
        project: "my project",
        settings: { silent: true },
      });
      const src = `${server.url}/embed/local/my%20project/runs/${run.id}`;
      expect(run.toHtml()).toBe(
        `<iframe src="${src}" style="border:none;width:100%;height:420px;" loading="lazy" title="Stepwise run"></iframe>`,
      );
      const hidden = run.toHtml({ height: 300, hidden: true });
      expect(hidden).toContain(">Show run</button>");
      expect(hidden).toContain(`style="border:none;width:100%;height:300px;display:none;"`);
      for (const height of [0, -5, Number.NaN, Infinity])
        expect(() => run.toHtml({ height })).toThrow(UsageError);
      const response = await fetch(src);
      // No web build in this server: the page is missing, but the frame headers are already this path's.
      expect(response.headers.get("content-security-policy")).toBe("frame-ancestors *");
      await response.body?.cancel();
      const app = await fetch(`${server.url}/`);
      expect(app.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      await app.body?.cancel();
      expect(run.display()).toBe(false);
      const shown: unknown[] = [];
      (globalThis as { Deno?: unknown }).Deno = {
        jupyter: { display: (value: unknown, options: unknown) => shown.push([value, options]) },
      };
      expect(run.display({ height: 200 })).toBe(true);
      expect(shown).toEqual([[{ "text/html": run.toHtml({ height: 200 }) }, { raw: true }]]);
      expect(run.projectName()).toBe("my project");
      await run.finish();
    } finally {
      await server.close();
    }
  });

  it("gives an offline run a note instead of an iframe", async () => {
    const run = await init({ dir: tempDir(), mode: "offline", project: "p", settings: { silent: true } });
    expect(run.toHtml()).toContain("stepwise sync");
    expect(run.toHtml()).not.toContain("<iframe");
    await run.finish();
  });

  it("join() finishes the run like finish() and warns once that it is deprecated", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const run = await init({ dir: tempDir(), mode: "offline", project: "p", settings: { quiet: true } });
    run.log({ x: 1 });
    await run.join();
    await run.join({ exitCode: 1 });
    expect(() => run.log({ x: 2 })).toThrow(/is finished/);
    expect(written.filter((line) => line.includes("run.join() is deprecated"))).toHaveLength(1);
  });
});
