/**
 * `run.toHtml()`, `run.display()`, `run.projectName()` and `run.join()`: the iframe points at the
 * server's embed view of this run, with an embed token the server made for it, and that URL serves
 * the web app framable by any origin; hidden, height and token lifetime options; on a server that
 * needs API keys the token reads the run without a key; an unreachable server gives a URL without
 * a token and a warning; an offline run gets a note; display() is false outside a notebook and
 * hands the HTML to Deno's Jupyter display when that API is present; join() finishes and warns once.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiPaths, EMBED_TOKEN_MAX_TTL_S } from "@stepwise/protocol";
import { loadConfig, startServer } from "@stepwise/server";
import { EmbedTokenCache, tokenizedEmbedUrl } from "../src/embed/run-embed.js";
import { init, UsageError } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

/** The iframe's src, and the token in it. */
function srcOf(html: string): { src: string; token: string | null } {
  const src = (/<iframe src="([^"]+)"/.exec(html)?.[1] ?? "").replace(/&amp;/g, "&");
  return { src, token: new URL(src).searchParams.get("embed_token") };
}

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
      // Keyless (a loopback-trusting server): the plain URL, at once.
      const plain = run.toHtml();
      expect(plain).toBe(
        `<iframe src="${src}" style="border:none;width:100%;height:420px;" loading="lazy" title="Stepwise run"></iframe>`,
      );
      // embedUrl() asks for a token and waits; toHtml() then carries it.
      expect((await run.embedUrl()).startsWith(`${src}?embed_token=swe_`)).toBe(true);
      const html = run.toHtml();
      expect(srcOf(html).src.startsWith(`${src}?embed_token=swe_`)).toBe(true);
      const hidden = run.toHtml({ height: 300, hidden: true });
      expect(hidden).toContain(">Show run</button>");
      expect(hidden).toContain(`style="border:none;width:100%;height:300px;display:none;"`);
      for (const height of [0, -5, Number.NaN, Infinity])
        expect(() => run.toHtml({ height })).toThrow(UsageError);
      for (const ttlSeconds of [0, 1.5, EMBED_TOKEN_MAX_TTL_S + 1])
        await expect(run.embedUrl({ ttlSeconds })).rejects.toThrow(/ttlSeconds/);
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
      expect(shown).toHaveLength(1);
      const [value, options] = shown[0] as [{ "text/html": string }, unknown];
      expect(options).toEqual({ raw: true });
      expect(value["text/html"]).toContain("height:200px");
      expect(srcOf(value["text/html"]).src.startsWith(`${src}?embed_token=swe_`)).toBe(true);
      expect(run.projectName()).toBe("my project");
      await run.finish();
    } finally {
      await server.close();
    }
  });

  it("on a server that needs API keys, the iframe's token reads this run without a key, for ttlSeconds", async () => {
    const server = await startServer(
      loadConfig({ port: 0, host: "127.0.0.1", data: tempDir(), trustLoopback: false }),
      { log: () => undefined },
    );
    try {
      const adminKey = (await readFile(server.adminKeyPath ?? "", "utf8")).trim();
      const run = await init({
        dir: tempDir(),
        baseUrl: server.url,
        apiKey: adminKey,
        project: "p",
        settings: { silent: true },
      });
      run.log({ loss: 0.5 });
      const before = Math.floor(Date.now() / 1000);
      // The token asked for when the run started (7 days) is used without waiting once it is
      // there; a fresh one for 600 s replaces it.
      await vi.waitFor(() => expect(srcOf(run.toHtml()).token).not.toBeNull());
      await run.embedUrl({ ttlSeconds: 600 });
      const { token } = srcOf(run.toHtml());
      await run.finish();
      expect(token).not.toBeNull();
      const ref = { entity: "local", project: "p", runId: run.id };
      const read = await fetch(server.url + apiPaths.run(ref), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { summary: { loss: number } }).summary.loss).toBe(0.5);
      const keyless = await fetch(server.url + apiPaths.run(ref));
      expect(keyless.status).toBe(401);
      await keyless.body?.cancel();
      const claim = JSON.parse(
        Buffer.from((token ?? "").slice(4).split(".")[0] ?? "", "base64url").toString(),
      ) as unknown[];
      expect(claim[3]).toBeGreaterThanOrEqual(before + 600);
      expect(claim[3]).toBeLessThanOrEqual(before + 605);
    } finally {
      await server.close();
    }
  });

  it("an unreachable server gives the URL without a token and says why", async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const url = await tokenizedEmbedUrl(
      { baseUrl: `http://127.0.0.1:${port}`, apiKey: null },
      { entity: "local", project: "p", runId: "r1" },
      {},
      (_cause, message) => warnings.push(message),
    );
    expect(url).toBe(`http://127.0.0.1:${port}/embed/local/p/runs/r1`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("the server cannot be reached");
    expect(warnings[0]).toContain("trusts loopback");
  });

  it("asks for the token a run starts with silently; only an explicit embedUrl() says why none came", async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const tokens = new EmbedTokenCache(
      { baseUrl: `http://127.0.0.1:${port}`, apiKey: "sw-".padEnd(43, "a") },
      { entity: "local", project: "p", runId: "r1" },
      (_cause, message) => warnings.push(message),
    );
    tokens.prefetch();
    await vi.waitFor(() => expect(tokens.currentUrl().tokened).toBe(false));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(warnings).toEqual([]);
    expect(await tokens.refresh({})).toBe(`http://127.0.0.1:${port}/embed/local/p/runs/r1`);
    expect(warnings).toHaveLength(1);
  });

  it("gives an offline run a note instead of an iframe", async () => {
    const run = await init({ dir: tempDir(), mode: "offline", project: "p", settings: { silent: true } });
    expect(run.toHtml()).toContain("stepwise sync");
    expect(run.toHtml()).not.toContain("<iframe");
    await expect(run.embedUrl()).rejects.toThrow(/not on a server/);
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

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
