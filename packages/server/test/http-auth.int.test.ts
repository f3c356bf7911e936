/** Access control: the admin key on first start, loopback trust only on a loopback bind, 401/403. */
import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { apiPaths, createApiKeyResponseSchema, viewerResponseSchema, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("admin key", () => {
  test("the first start writes an admin key readable by the owner only and says where", async () => {
    await using t = await startTestServer();
    const path = join(t.dataDir, "admin-key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(t.adminKey).toMatch(/^sw-[A-Za-z0-9]{40}$/);
    expect(t.logs).toContain(`Admin API key written to ${path}`);
    const viewer = viewerResponseSchema.parse(
      await (await t.fetch(apiPaths.viewer(), { headers: bearer(t.adminKey) })).json(),
    );
    expect(viewer).toMatchObject({ admin: true, via: "key", name: "admin" });
  });

  test("a restart keeps the same key", async () => {
    await using first = await startTestServer();
    await first.stop();
    await using second = await startTestServer({}, first.dataDir);
    expect(second.adminKey).toBe(first.adminKey);
    expect((await second.fetch(apiPaths.viewer(), { headers: bearer(first.adminKey) })).status).toBe(200);
  });
});

describe("loopback trust", () => {
  test("on a loopback bind, requests from loopback without a key act as admin", async () => {
    await using t = await startTestServer();
    expect(t.server.trustsLoopback).toBe(true);
    const viewer = viewerResponseSchema.parse(await (await t.fetch(apiPaths.viewer())).json());
    expect(viewer).toMatchObject({ admin: true, via: "loopback", keyId: null });
  });

  test("a wrong key is refused even from loopback", async () => {
    await using t = await startTestServer();
    const response = await t.fetch(apiPaths.viewer(), { headers: bearer("sw_wrong") });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });

  test("with loopback trust off, every request needs a key", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const response = await t.fetch(apiPaths.runs("local", "demo"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "Authorization: Bearer",
    );
    expect((await t.fetch(apiPaths.runs("local", "demo"), { headers: bearer(t.adminKey) })).status).toBe(200);
  });

  test("bound to every address (0.0.0.0), even loopback clients need a key", async () => {
    await using t = await startTestServer({ host: "0.0.0.0" });
    expect(t.server.trustsLoopback).toBe(false);
    const url = t.url.replace("0.0.0.0", "127.0.0.1");
    expect((await fetch(url + apiPaths.viewer())).status).toBe(401);
    expect((await fetch(url + apiPaths.viewer(), { headers: bearer(t.adminKey) })).status).toBe(200);
  });

  test("HTTP Basic with user 'api' and the key as password works (W&B clients)", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const basic = (user: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${t.adminKey}`).toString("base64")}`,
    });
    expect((await t.fetch(apiPaths.viewer(), { headers: basic("api") })).status).toBe(200);
    expect((await t.fetch(apiPaths.viewer(), { headers: basic("root") })).status).toBe(401);
  });
});

describe("keys of an entity", () => {
  test("admins create keys; a non-admin key reaches its own entity only (403 elsewhere)", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const admin = bearer(t.adminKey);
    const created = await t.send(
      "POST",
      apiPaths.keys(),
      { name: "ci", entity: "team" },
      { key: t.adminKey },
    );
    expect(created.status).toBe(201);
    const key = createApiKeyResponseSchema.parse(await created.json());
    const teamRef = { entity: "team", project: "p", runId: "r" };
    expect(
      (await t.send("POST", apiPaths.ingest(teamRef), historyBatch(0, 1), { key: key.key })).status,
    ).toBe(200);
    expect((await t.fetch(apiPaths.run(teamRef), { headers: bearer(key.key) })).status).toBe(200);

    expect((await t.send("POST", apiPaths.ingest(ref), historyBatch(0, 1), { key: t.adminKey })).status).toBe(
      200,
    );
    const other = await t.fetch(apiPaths.run(ref), { headers: bearer(key.key) });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { message: string } }).error.message).toContain("'team' only");
    const noAdmin = await t.send("POST", apiPaths.keys(), { name: "x", entity: "team" }, { key: key.key });
    expect(noAdmin.status).toBe(403);
    const entities = (await (await t.fetch(apiPaths.entities(), { headers: bearer(key.key) })).json()) as {
      entities: Array<{ name: string }>;
    };
    expect(entities.entities.map((e) => e.name)).toEqual(["team"]);
    expect((await t.fetch(apiPaths.entities(), { headers: admin })).status).toBe(200);
  });
});
