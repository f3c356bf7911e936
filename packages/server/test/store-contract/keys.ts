/**
 * Store contract, API keys: created with a secret hash, found by that hash, touched on use,
 * counted, listed oldest first, and revoked (after which the hash finds nothing), except the last
 * admin key, which is kept, also when two revocations race.
 */
import { describe, expect, it } from "vitest";
import type { StoredApiKey } from "../../src/store/store.js";
import { storeOpener, type StoreFactory } from "./contract-setup.js";

export function keysContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("api keys", () => {
    it("creates keys, finds them by secret hash, records last use and counts them", async () => {
      const store = await open();
      expect(await store.countApiKeys()).toBe(0);
      const admin: StoredApiKey = {
        id: "k1",
        name: "admin",
        entity: "team",
        admin: true,
        createdAt: 10,
        lastUsedAt: null,
      };
      const user: StoredApiKey = {
        id: "k2",
        name: "ci",
        entity: "team",
        admin: false,
        createdAt: 11,
        lastUsedAt: null,
      };
      await store.createApiKey(admin, "hash-1");
      await store.createApiKey(user, "hash-2");
      expect(await store.countApiKeys()).toBe(2);
      expect(await store.findApiKeyByHash("hash-2")).toEqual(user);
      expect(await store.findApiKeyByHash("hash-3")).toBeNull();
      await store.touchApiKey("k1", 99);
      expect(await store.findApiKeyByHash("hash-1")).toEqual({ ...admin, lastUsedAt: 99 });
    });

    it("lists keys oldest first and revokes one so that its hash finds nothing", async () => {
      const store = await open();
      const key = (id: string, createdAt: number): StoredApiKey => ({
        id,
        name: `key ${id}`,
        entity: "team",
        admin: false,
        createdAt,
        lastUsedAt: null,
      });
      await store.createApiKey(key("b", 20), "hash-b");
      await store.createApiKey(key("a", 10), "hash-a");
      await store.createApiKey(key("c", 30), "hash-c");
      expect((await store.listApiKeys()).map((k) => k.id)).toEqual(["a", "b", "c"]);
      expect(await store.revokeApiKey("b")).toEqual({ kind: "revoked", key: key("b", 20) });
      expect(await store.findApiKeyByHash("hash-b")).toBeNull();
      expect(await store.revokeApiKey("b")).toEqual({ kind: "unknown" });
      expect((await store.listApiKeys()).map((k) => k.id)).toEqual(["a", "c"]);
      expect(await store.countApiKeys()).toBe(2);
      expect(await store.findApiKeyByHash("hash-c")).toEqual(key("c", 30));
    });

    it("keeps the last admin key, also when two revocations of the last two race", async () => {
      const store = await open();
      const key = (id: string, admin: boolean): StoredApiKey => ({
        id,
        name: `key ${id}`,
        entity: "team",
        admin,
        createdAt: 1,
        lastUsedAt: null,
      });
      for (const [id, admin] of [
        ["a1", true],
        ["a2", true],
        ["a3", true],
        ["u", false],
      ] as const)
        await store.createApiKey(key(id, admin), `hash-${id}`);
      expect(await store.revokeApiKey("a1")).toEqual({ kind: "revoked", key: key("a1", true) });
      const raced = await Promise.all([store.revokeApiKey("a2"), store.revokeApiKey("a3")]);
      expect(raced.map((r) => r.kind).sort()).toEqual(["last-admin", "revoked"]);
      const kept = raced.find((r) => r.kind === "last-admin");
      expect((await store.listApiKeys()).map((k) => k.id)).toEqual(
        [kept?.kind === "last-admin" ? kept.key.id : "none", "u"].sort(),
      );
      expect(await store.revokeApiKey("u")).toEqual({ kind: "revoked", key: key("u", false) });
      expect(await store.countApiKeys()).toBe(1);
    });
  });
}
