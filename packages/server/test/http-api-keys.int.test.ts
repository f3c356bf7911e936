/**
 * API keys over HTTP on a real server: admins create, list and revoke them; a list never shows a
 * secret; a revoked key is refused from the very next request; the last admin key stays; the
 * admin-key file goes when its key is revoked; other keys may do none of this.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  apiKeyDtoSchema,
  apiKeyListResponseSchema,
  apiPaths,
  createApiKeyResponseSchema,
  type ApiKeyDto,
  type CreateApiKeyResponse,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function create(t: TestServer, body: object, key = t.adminKey): Promise<CreateApiKeyResponse> {
  const response = await t.send("POST", apiPaths.keys(), body, { key });
  expect(response.status).toBe(201);
  return createApiKeyResponseSchema.parse(await response.json());
}

async function list(t: TestServer, key = t.adminKey): Promise<{ keys: ApiKeyDto[]; text: string }> {
  const response = await t.fetch(apiPaths.keys(), { headers: bearer(key) });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { keys: apiKeyListResponseSchema.parse(JSON.parse(text)).keys, text };
}

describe("API keys", () => {
  test("the list shows every key with its entity, rights and times, never a secret", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const ci = await create(t, { name: "ci", entity: "team" });
    const ops = await create(t, { name: "ops", entity: "local", admin: true });
    await t.fetch(apiPaths.viewer(), { headers: bearer(ci.key) });
    const { keys, text } = await list(t);
    expect(keys.map(({ name, entity, admin }) => ({ name, entity, admin }))).toEqual([
      { name: "admin", entity: "local", admin: true },
      { name: "ci", entity: "team", admin: false },
      { name: "ops", entity: "local", admin: true },
    ]);
    expect(keys.map((k) => k.id)).toEqual([keys[0]?.id, ci.id, ops.id]);
    for (const key of keys) expect(key.createdAt).toBeGreaterThan(1_600_000_000);
    expect(keys.find((k) => k.name === "ci")?.lastUsedAt).toBeGreaterThan(1_600_000_000);
    expect(keys.find((k) => k.name === "ops")?.lastUsedAt).toBeNull();
    for (const secret of [t.adminKey, ci.key, ops.key]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/sw[-_][A-Za-z0-9_-]{40}/);
    for (const key of keys)
      expect(Object.keys(key).sort()).toEqual(Object.keys(apiKeyDtoSchema.shape).sort());
  });

  test("a revoked key is refused from the next request on, while in use", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const ci = await create(t, { name: "ci", entity: "team" });
    const ref = { entity: "team", project: "p", runId: "r1" };
    expect((await t.send("POST", apiPaths.ingest(ref), historyBatch(0, 2), { key: ci.key })).status).toBe(
      200,
    );
    const revoked = await t.fetch(apiPaths.key(ci.id), { method: "DELETE", headers: bearer(t.adminKey) });
    expect(revoked.status).toBe(200);
    expect(apiKeyDtoSchema.parse(await revoked.json())).toMatchObject({
      id: ci.id,
      name: "ci",
      entity: "team",
    });
    const refused = await t.send("POST", apiPaths.ingest(ref), historyBatch(2, 2), { key: ci.key });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    expect((await t.fetch(apiPaths.viewer(), { headers: bearer(ci.key) })).status).toBe(401);
    expect((await list(t)).keys.map((k) => k.name)).toEqual(["admin"]);
    const run = (await (await t.fetch(apiPaths.run(ref), { headers: bearer(t.adminKey) })).json()) as {
      offsets: { history: number };
    };
    expect(run.offsets.history).toBe(2);
    expect(t.logs).toContain(`API key ${ci.id} (ci, entity team) revoked`);
  });

  test("revoking an unknown id is a 404 and a malformed one a 400", async () => {
    await using t = await startTestServer();
    const unknown = await t.fetch(apiPaths.key("0123456789abcdef"), { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    const odd = await t.fetch(apiPaths.key("a b"), { method: "DELETE" });
    expect(odd.status).toBe(400);
    expect(await odd.json()).toMatchObject({ error: { code: "INVALID_DATA" } });
  });

  test("the last admin key cannot be revoked; with another admin key it can, and its file goes", async () => {
    await using t = await startTestServer();
    const [first] = (await list(t)).keys;
    const alone = await t.fetch(apiPaths.key(first?.id ?? ""), { method: "DELETE" });
    expect(alone.status).toBe(400);
    expect(((await alone.json()) as { error: { message: string } }).error.message).toContain(
      "last admin key",
    );
    expect(existsSync(join(t.dataDir, "admin-key"))).toBe(true);
    const second = await create(t, { name: "admin 2", entity: "local", admin: true });
    const revoked = await t.fetch(apiPaths.key(first?.id ?? ""), {
      method: "DELETE",
      headers: bearer(second.key),
    });
    expect(revoked.status).toBe(200);
    expect(existsSync(join(t.dataDir, "admin-key"))).toBe(false);
    expect(t.logs).toContain(`Removed ${join(t.dataDir, "admin-key")}: the key it held was revoked`);
    expect((await t.fetch(apiPaths.viewer(), { headers: bearer(t.adminKey) })).status).toBe(401);
    expect((await list(t, second.key)).keys.map((k) => k.name)).toEqual(["admin 2"]);
  });

  test("keys that are not admin may not list, create or revoke keys", async () => {
    await using t = await startTestServer();
    const ci = await create(t, { name: "ci", entity: "team" });
    expect((await t.fetch(apiPaths.keys(), { headers: bearer(ci.key) })).status).toBe(403);
    expect(
      (await t.send("POST", apiPaths.keys(), { name: "x", entity: "team" }, { key: ci.key })).status,
    ).toBe(403);
    const revoke = await t.fetch(apiPaths.key(ci.id), { method: "DELETE", headers: bearer(ci.key) });
    expect(revoke.status).toBe(403);
    expect(((await revoke.json()) as { error: { message: string } }).error.message).toContain("admin");
    expect((await list(t)).keys.map((k) => k.name)).toEqual(["admin", "ci"]);
  });
});
