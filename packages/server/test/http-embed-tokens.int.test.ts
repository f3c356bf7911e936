/**
 * Embed tokens on a server that needs API keys (loopback trust off): a token made for run A reads
 * A's run, history, series, keys, files and key kinds, with the token as a Bearer header or as the
 * `embed_token` query parameter; it is refused (403) for run B, another project, entity-wide
 * listings and every write, and (401, naming why) when expired, altered or signed by another
 * server. It survives a restart (the signing key is kept in the data directory). Never a 5xx.
 */
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  EMBED_TOKEN_DEFAULT_TTL_S,
  EMBED_TOKEN_MAX_TTL_S,
  EMBED_TOKEN_PREFIX,
  embedPaths,
  embedTokenResponseSchema,
  viewerResponseSchema,
  type RunRef,
} from "@stepwise/protocol";
import { issueEmbedToken } from "../src/auth/embed-token.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";

const runA: RunRef = { entity: "local", project: "demo", runId: "run-a" };
const runB: RunRef = { entity: "local", project: "demo", runId: "run-b" };
const runC: RunRef = { entity: "local", project: "other", runId: "run-c" };
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

async function keyedServer(dataDir?: string): Promise<TestServer> {
  const t = await startTestServer({ trustLoopback: false }, dataDir);
  if (dataDir === undefined)
    for (const ref of [runA, runB, runC])
      expect(
        (await t.send("POST", apiPaths.ingest(ref), historyBatch(0, 20), { key: t.adminKey })).status,
      ).toBe(200);
  return t;
}

async function mint(t: TestServer, ref: RunRef, body: unknown = {}, key = t.adminKey): Promise<Response> {
  return t.send("POST", embedPaths.token(ref), body, { key });
}

async function tokenFor(t: TestServer, ref: RunRef): Promise<string> {
  const response = await mint(t, ref);
  expect(response.status).toBe(200);
  return embedTokenResponseSchema.parse(await response.json()).token;
}

/** Status and error body of a request made with `token` as Bearer. */
async function withToken(
  t: TestServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; error?: { code: string; message: string; details?: Record<string, unknown> } }> {
  const headers: Record<string, string> = { ...bearer(token) };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await t.fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.ok) return { status: response.status };
  return { status: response.status, ...(JSON.parse(text) as { error: { code: string; message: string } }) };
}

describe("making an embed token", () => {
  test("an API key that may read the run gets a token valid 7 days by default; bad lifetimes, no key and other entities' keys are refused", async () => {
    await using t = await keyedServer();
    const before = Math.floor(Date.now() / 1000);
    const made = embedTokenResponseSchema.parse(await (await mint(t, runA)).json());
    expect(made.token.startsWith(EMBED_TOKEN_PREFIX)).toBe(true);
    expect(made.expiresAt).toBeGreaterThanOrEqual(before + EMBED_TOKEN_DEFAULT_TTL_S);
    expect(made.expiresAt).toBeLessThanOrEqual(before + EMBED_TOKEN_DEFAULT_TTL_S + 5);
    const hour = embedTokenResponseSchema.parse(await (await mint(t, runA, { ttlSeconds: 3600 })).json());
    expect(hour.expiresAt - before).toBeLessThanOrEqual(3605);

    for (const ttlSeconds of [0, EMBED_TOKEN_MAX_TTL_S + 1, 1.5]) {
      const refused = await mint(t, runA, { ttlSeconds });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("ttlSeconds");
    }
    const keyless = await t.fetch(embedPaths.token(runA), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(keyless.status).toBe(401);
    await keyless.body?.cancel();
    const created = await t.send(
      "POST",
      apiPaths.keys(),
      { name: "team", entity: "team" },
      { key: t.adminKey },
    );
    const teamKey = ((await created.json()) as { key: string }).key;
    const foreign = await mint(t, runA, {}, teamKey);
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
  });
});

describe("what an embed token may do", () => {
  test("it reads its run: the run, its history, series, series keys, files and key kinds, by header or query", async () => {
    await using t = await keyedServer();
    const token = await tokenFor(t, runA);

    const run = await t.fetch(apiPaths.run(runA), { headers: bearer(token) });
    expect(run.status).toBe(200);
    expect(((await run.json()) as { id: string; lastStep: number }).lastStep).toBe(19);
    const history = await t.fetch(`${apiPaths.history(runA)}?format=ndjson&keys=loss`, {
      headers: bearer(token),
    });
    expect(history.status).toBe(200);
    expect((await history.text()).trim().split("\n")).toHaveLength(20);
    const series = await t.fetch(apiPaths.series(), {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ runs: [runA], keys: ["loss"] }),
    });
    expect(series.status).toBe(200);
    const points = ((await series.json()) as { series: Array<{ count: number }> }).series;
    expect(points.map((s) => s.count)).toEqual([20]);
    const keys = await t.fetch(apiPaths.seriesKeys(), {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ runs: [runA] }),
    });
    expect(((await keys.json()) as { keys: string[] }).keys).toEqual(
      expect.arrayContaining(["loss", "train.acc"]),
    );
    expect((await withToken(t, token, "GET", apiPaths.files(runA))).status).toBe(200);
    expect((await withToken(t, token, "GET", `/api/v1/key-kinds/local/demo?runs=run-a`)).status).toBe(200);
    expect((await withToken(t, token, "GET", `/api/v1/presets`)).status).toBe(200);
    const viewer = viewerResponseSchema.parse(
      await (await t.fetch(apiPaths.viewer(), { headers: bearer(token) })).json(),
    );
    expect(viewer).toMatchObject({ via: "embed", admin: false, keyId: null, entity: "local" });

    // As a query parameter (a plain link), for reads only.
    const query = `embed_token=${encodeURIComponent(token)}`;
    const byQuery = await t.fetch(`${apiPaths.run(runA)}?${query}`);
    expect(byQuery.status).toBe(200);
    await byQuery.body?.cancel();
    const otherByQuery = await t.fetch(`${apiPaths.run(runB)}?${query}`);
    expect(otherByQuery.status).toBe(403);
    await otherByQuery.body?.cancel();
    const patchByQuery = await t.fetch(`${apiPaths.run(runA)}?${query}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ notes: "x" }),
    });
    expect(patchByQuery.status).toBe(401);
    await patchByQuery.body?.cancel();
  });

  test("it is refused for another run, another project, entity-wide listings and every write, with 403s that say why", async () => {
    await using t = await keyedServer();
    const token = await tokenFor(t, runA);
    const refusals: Array<[string, string, unknown?]> = [
      ["GET", apiPaths.run(runB)],
      ["GET", apiPaths.history(runB)],
      ["GET", apiPaths.files(runB)],
      ["GET", apiPaths.run(runC)],
      ["GET", apiPaths.runs("local", "demo")],
      ["POST", apiPaths.runs("local", "demo"), {}],
      ["GET", apiPaths.runs("local", "other")],
      ["GET", apiPaths.entities()],
      ["GET", apiPaths.projects("local")],
      ["GET", "/api/v1/alerts"],
      ["GET", "/api/v1/key-kinds/local/demo"],
      ["GET", "/api/v1/key-kinds/local/demo?runs=run-a,run-b"],
      ["GET", "/api/v1/key-kinds/local/other?runs=run-a"],
      ["POST", apiPaths.series(), { runs: [runA, runB], keys: ["loss"] }],
      ["POST", apiPaths.series(), { runs: [runC], keys: ["loss"] }],
      ["POST", apiPaths.seriesKeys(), { runs: [runB] }],
      ["PATCH", apiPaths.run(runA), { notes: "defaced" }],
      ["POST", apiPaths.ingest(runA), historyBatch(20, 1)],
      ["PUT", apiPaths.file(runA, "notes.txt"), "x"],
      ["POST", apiPaths.fileUploads(runA), {}],
      ["POST", embedPaths.token(runA), {}],
      ["POST", apiPaths.keys(), { name: "mine", entity: "local", admin: true }],
      ["DELETE", apiPaths.key("anything")],
      ["PUT", "/api/v1/presets/local/mine", {}],
    ];
    for (const [method, path, body] of refusals) {
      const answer = await withToken(t, token, method, path, body);
      expect({ method, path, status: answer.status, code: answer.error?.code }).toEqual({
        method,
        path,
        status: 403,
        code: "FORBIDDEN",
      });
      expect(answer.error?.message).toMatch(
        /embed token (may only read run local\/demo\/run-a|is read-only)/,
      );
    }
    // Nothing was written.
    const run = (await (await t.fetch(apiPaths.run(runA), { headers: bearer(t.adminKey) })).json()) as {
      notes: string;
      lastStep: number;
    };
    expect(run).toMatchObject({ notes: "", lastStep: 19 });
  });
});

describe("a token that is not good", () => {
  test("expired, altered, cut short or signed by another server: 401 naming the problem", async () => {
    await using t = await keyedServer();
    await using other = await keyedServer();
    const token = await tokenFor(t, runA);
    const signer = await UrlSigner.forDataDir(t.dataDir);
    const now = Math.floor(Date.now() / 1000);
    const expired = issueEmbedToken(signer, { run: runA, expiresAt: now - 60 });
    const answer = await withToken(t, expired, "GET", apiPaths.run(runA));
    expect(answer.status).toBe(401);
    expect(answer.error).toMatchObject({
      code: "UNAUTHENTICATED",
      details: { reason: "expired", expiresAt: now - 60 },
    });
    expect(answer.error?.message).toContain("expired at");

    // Run A's signature on a claim for run B, a changed signature, a cut token, junk, another server's token.
    const [claimA = "", signature = ""] = token.slice(EMBED_TOKEN_PREFIX.length).split(".");
    const [, , , expiresAt] = JSON.parse(Buffer.from(claimA, "base64url").toString()) as unknown[];
    const claimB = Buffer.from(JSON.stringify(["local", "demo", "run-b", expiresAt])).toString("base64url");
    const flipped = signature.slice(0, -1) + (signature.endsWith("A") ? "B" : "A");
    const altered = [
      `${EMBED_TOKEN_PREFIX}${claimB}.${signature}`,
      `${EMBED_TOKEN_PREFIX}${claimA}.${flipped}`,
      token.slice(0, -10),
      `${EMBED_TOKEN_PREFIX}${claimA}`,
      `${EMBED_TOKEN_PREFIX}not json.${signature}`,
      await tokenFor(other, runA),
    ];
    for (const bad of altered) {
      for (const path of [apiPaths.run(runA), apiPaths.run(runB)]) {
        const refused = await withToken(t, bad, "GET", path);
        expect(refused.status).toBe(401);
        expect(refused.error).toMatchObject({ code: "UNAUTHENTICATED", details: { reason: "invalid" } });
        expect(refused.error?.message).toContain("not valid on this server");
      }
    }
  });

  test("a token outlives a restart: the signing key stays in the data directory", async () => {
    await using first = await keyedServer();
    const token = await tokenFor(first, runA);
    await first.stop();
    await using second = await keyedServer(first.dataDir);
    expect((await withToken(second, token, "GET", apiPaths.run(runA))).status).toBe(200);
  });
});
