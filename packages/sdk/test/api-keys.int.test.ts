/**
 * The `Api` client's key methods against a real server (what `stepwise keys ls|create|revoke`
 * builds on): create returns the secret once, the list never shows one, revoke makes the server
 * refuse the key at once, and the server's refusals arrive as catalogued errors.
 */
// AuthError as a user imports it: from the SDK package, not the internal protocol package.
import { Api, AuthError, NotFoundError, UsageError } from "@stepwise/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/api-server.js";

let server: TestServer;
let admin: Api;

beforeEach(async () => {
  server = await startTestServer();
  admin = new Api({ baseUrl: server.url, env: {} }); // loopback trust: the local user is admin
});
afterEach(async () => server.close());

describe("Api keys", () => {
  it("creates a key whose secret works, and lists it without the secret", async () => {
    const created = await admin.createApiKey({ name: "ci", entity: "team" });
    expect(created).toMatchObject({ name: "ci", entity: "team", admin: false });
    expect(created.key).toMatch(/^sw-[A-Za-z0-9]{40}$/);
    const ci = new Api({ baseUrl: server.url, apiKey: created.key, env: {} });
    expect(await ci.viewer()).toMatchObject({ keyId: created.id, name: "ci", entity: "team", via: "key" });
    const keys = await admin.apiKeys();
    expect(keys.map(({ id, name, entity, admin }) => ({ id, name, entity, admin }))).toEqual([
      { id: keys[0]?.id, name: "admin", entity: "local", admin: true },
      { id: created.id, name: "ci", entity: "team", admin: false },
    ]);
    expect(JSON.stringify(keys)).not.toContain(created.key);
    expect(keys.find((k) => k.id === created.id)?.lastUsedAt).toEqual(expect.any(Number));
  });

  it("revokes a key: the server refuses it from the next request on", async () => {
    const created = await admin.createApiKey({ name: "laptop", entity: "local", admin: true });
    const laptop = new Api({ baseUrl: server.url, apiKey: created.key, env: {} });
    expect((await laptop.viewer()).admin).toBe(true);
    const revoked = await admin.revokeApiKey(created.id);
    expect(revoked).toMatchObject({ id: created.id, name: "laptop", entity: "local", admin: true });
    await expect(laptop.viewer()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(laptop.viewer()).rejects.toBeInstanceOf(AuthError);
    expect((await admin.apiKeys()).map((k) => k.name)).toEqual(["admin"]);
  });

  it("reports an unknown id, the last admin key and a key without the right as typed errors", async () => {
    await expect(admin.revokeApiKey("0123456789abcdef")).rejects.toBeInstanceOf(NotFoundError);
    await expect(admin.revokeApiKey("")).rejects.toBeInstanceOf(UsageError);
    const [only] = await admin.apiKeys();
    await expect(admin.revokeApiKey(only?.id ?? "")).rejects.toThrow(/last admin key/);
    const created = await admin.createApiKey({ name: "ci", entity: "team" });
    const ci = new Api({ baseUrl: server.url, apiKey: created.key, env: {} });
    await expect(ci.apiKeys()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(ci.apiKeys()).rejects.toBeInstanceOf(AuthError);
    await expect(ci.createApiKey({ name: "more", entity: "team" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(ci.revokeApiKey(created.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await admin.apiKeys()).map((k) => k.name)).toEqual(["admin", "ci"]);
  });
});
