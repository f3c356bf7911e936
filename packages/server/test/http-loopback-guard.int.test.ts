/**
 * The loopback trust boundary on a real server (127.0.0.1, free port, no key needed from this
 * machine): other Host names (DNS rebinding) are refused, state-changing requests from other
 * origins are refused, JSON bodies must say so in Content-Type, and each refusal stores nothing;
 * the server's own pages and clients that are not browsers go through.
 */
import { describe, expect, test } from "vitest";
import { apiPaths, stringifyExtended, type RunRef } from "@stepwise/protocol";
import {
  historyBatch,
  rawRequest,
  startTestServer,
  type RawResponse,
  type TestServer,
} from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };
const JSON_TYPE = { "content-type": "application/json" };
const newKey = stringifyExtended({ name: "stolen", entity: "local", admin: true });
const batch = stringifyExtended(historyBatch(0, 3));

function portOf(t: TestServer): number {
  return Number(new URL(t.url).port);
}

function send(
  t: TestServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  return rawRequest(t.url, { method, path, headers, ...(body === undefined ? {} : { body }) });
}

function errorOf(response: RawResponse): { code: string; message: string } {
  return (JSON.parse(response.body) as { error: { code: string; message: string } }).error;
}

/** Key names as the server lists them, asked without Origin (as the CLI asks). */
async function keyNames(t: TestServer): Promise<string[]> {
  const response = await t.fetch(apiPaths.keys());
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: Array<{ name: string }> }).keys.map((k) => k.name);
}

async function runExists(t: TestServer): Promise<boolean> {
  const status = (await t.fetch(apiPaths.run(ref))).status;
  expect([200, 404]).toContain(status);
  return status === 200;
}

describe("Host names on a loopback-trusting server", () => {
  test("a rebinding name is refused for reads, writes and the UI, and writes nothing", async () => {
    await using t = await startTestServer();
    const host = `evil.example:${portOf(t)}`;
    for (const [method, path, body] of [
      ["GET", apiPaths.entities(), undefined],
      ["GET", "/", undefined],
      ["POST", apiPaths.keys(), newKey],
      ["POST", apiPaths.ingest(ref), batch],
    ] as const) {
      const response = await send(t, method, path, { host, ...JSON_TYPE }, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: "FORBIDDEN" });
      expect(errorOf(response).message).toContain("DNS rebinding");
    }
    expect(await keyNames(t)).toEqual(["admin"]);
    expect(await runExists(t)).toBe(false);
  });

  test("another port on a loopback name is refused; every loopback name on the server's port is served", async () => {
    await using t = await startTestServer();
    const port = portOf(t);
    expect((await send(t, "GET", apiPaths.viewer(), { host: `127.0.0.1:${port + 1}` })).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`]) {
      const response = await send(t, "GET", apiPaths.viewer(), { host });
      expect(response.status, host).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ via: "loopback", admin: true });
    }
  });

  test("with loopback trust off, Host is not checked: the key decides", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const response = await send(t, "GET", apiPaths.viewer(), {
      host: "stepwise.example.org",
      authorization: `Bearer ${t.adminKey}`,
    });
    expect(response.status).toBe(200);
  });
});

describe("state-changing requests from other origins", () => {
  test("POST, PATCH, PUT and DELETE from another origin are refused and change nothing", async () => {
    await using t = await startTestServer();
    const port = portOf(t);
    expect((await t.ingest(ref, historyBatch(0, 2))).status).toBe(200);
    const [keyId] = (
      (await (await t.fetch(apiPaths.keys())).json()) as { keys: Array<{ id: string }> }
    ).keys.map((k) => k.id);
    const other = { "sec-fetch-site": "same-site", origin: `http://127.0.0.1:${port + 1}` };
    const cases: Array<{ headers: Record<string, string>; what: string }> = [
      { what: "another loopback port", headers: other },
      { what: "another site", headers: { "sec-fetch-site": "cross-site", origin: "http://evil.example" } },
      { what: "Origin only", headers: { origin: "http://evil.example" } },
      { what: "Sec-Fetch-Site only", headers: { "sec-fetch-site": "cross-site" } },
      { what: "a sandboxed page", headers: { origin: "null" } },
    ];
    for (const { what, headers } of cases) {
      const all = { host: `127.0.0.1:${port}`, ...JSON_TYPE, ...headers };
      for (const [method, path, body] of [
        ["POST", apiPaths.keys(), newKey],
        ["POST", apiPaths.ingest(ref), stringifyExtended(historyBatch(2, 5))],
        ["PATCH", apiPaths.run(ref), '{"name":"pwned"}'],
        ["PUT", apiPaths.file(ref, "evil.txt"), "evil"],
        ["DELETE", apiPaths.key(keyId ?? "x"), undefined],
      ] as const) {
        const response = await send(t, method, path, all, body);
        expect(response.status, `${what}: ${method} ${path}`).toBe(403);
        expect(errorOf(response).message).toContain("another origin");
      }
    }
    expect(await keyNames(t)).toEqual(["admin"]);
    const run = (await (await t.fetch(apiPaths.run(ref))).json()) as {
      name: string;
      offsets: { history: number };
    };
    expect(run.name).not.toBe("pwned");
    expect(run.offsets.history).toBe(2);
    expect((await t.fetch(apiPaths.file(ref, "evil.txt"))).status).toBe(404);
  });

  test("the server's own pages (same origin) and clients without Origin may write", async () => {
    await using t = await startTestServer();
    const port = portOf(t);
    for (const [host, origin] of [
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
    ] as const) {
      const browser = { host, origin, "sec-fetch-site": "same-origin", ...JSON_TYPE };
      const name = `ui via ${host}`;
      const created = await send(
        t,
        "POST",
        apiPaths.keys(),
        browser,
        stringifyExtended({ name, entity: "local" }),
      );
      expect(created.status, host).toBe(201);
    }
    const typed = { host: `127.0.0.1:${port}`, "sec-fetch-site": "none", ...JSON_TYPE };
    expect((await send(t, "POST", apiPaths.ingest(ref), typed, batch)).status).toBe(200);
    const script = await send(
      t,
      "PATCH",
      apiPaths.run(ref),
      { host: `127.0.0.1:${port}`, ...JSON_TYPE },
      '{"name":"kept"}',
    );
    expect(script.status).toBe(200);
    expect(await keyNames(t)).toEqual(["admin", `ui via 127.0.0.1:${port}`, `ui via localhost:${port}`]);
    expect(((await (await t.fetch(apiPaths.run(ref))).json()) as { name: string }).name).toBe("kept");
  });
});

describe("JSON bodies need Content-Type: application/json", () => {
  test("a text/plain POST (the CORS-free trick) is a 415 that says what to send, and stores nothing", async () => {
    await using t = await startTestServer();
    for (const type of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      for (const [path, body] of [
        [apiPaths.keys(), newKey],
        [apiPaths.ingest(ref), batch],
        [apiPaths.series(), '{"runs":[],"keys":["loss"]}'],
      ] as const) {
        const response = await send(t, "POST", path, { "content-type": type }, body);
        expect(response.status, `${type} ${path}`).toBe(415);
        expect(errorOf(response).code).toBe("UNSUPPORTED_MEDIA_TYPE");
        expect(errorOf(response).message).toContain("Content-Type: application/json");
      }
    }
    const none = await send(t, "POST", apiPaths.ingest(ref), {}, batch);
    expect(none.status).toBe(415);
    expect(errorOf(none).message).toContain("(got none)");
    expect(await keyNames(t)).toEqual(["admin"]);
    expect(await runExists(t)).toBe(false);
  });

  test("application/json with a charset is JSON; the check holds without loopback trust too", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const key = { authorization: `Bearer ${t.adminKey}` };
    const typed = await send(
      t,
      "POST",
      apiPaths.ingest(ref),
      { ...key, "content-type": "application/json; charset=utf-8" },
      batch,
    );
    expect(typed.status).toBe(200);
    const plain = await send(
      t,
      "POST",
      apiPaths.ingest(ref),
      { ...key, "content-type": "text/plain" },
      batch,
    );
    expect(plain.status).toBe(415);
  });
});
