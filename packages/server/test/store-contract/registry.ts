/**
 * Store contract, registry (`Store.registry`): links point at artifact versions without copying
 * them and are numbered by the registry collection (never reused after an unlink), `latest` is
 * the newest link, user aliases are unique within a collection and move in one step, a
 * collection keeps the type of its first link, links of deleted versions disappear, and the
 * audit log records every link, unlink and alias change with who and from → to.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import type { Store } from "../../src/store/store.js";
import type { RegistryStore } from "../../src/store/registry-store.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function logVersion(store: Store, name: string, content: string, type = "model", now = 1000) {
  const entries: ManifestEntry[] = [{ path: "weights.bin", sha256: sha(content), size: content.length }];
  const result = await store.artifacts.commitVersion({
    entity: "team",
    project: "proj",
    name,
    type,
    entries,
    digest: sha(manifestDigestText(entries)),
    description: "",
    metadata: {},
    aliases: [],
    tags: [],
    producer: runRef("train"),
    now,
  });
  return result.version;
}

const target = { entity: "team", registry: "model", collection: "classifier" };
const source = (name: string, alias: string) => ({ entity: "team", project: "proj", name, alias });

function registryOf(store: Store): RegistryStore {
  if (store.registry === undefined) throw new Error("this store has no registry");
  return store.registry;
}

export function registryContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("registry", () => {
    it("links versions without copying, numbered by the collection, latest on the newest", async () => {
      const store = await open();
      const registry = registryOf(store);
      const v0 = await logVersion(store, "resnet", "a");
      await logVersion(store, "resnet", "b", "model", 1100);
      const first = await registry.link({
        ...target,
        source: source("resnet", "v1"),
        aliases: ["staging"],
        actor: "run:team/proj/train",
        now: 2000,
      });
      expect(first.status).toBe("created");
      expect(first.version).toMatchObject({
        registry: "model",
        collection: "classifier",
        version: "v0",
        aliases: ["latest", "staging"],
        linkedBy: "run:team/proj/train",
        artifact: { name: "resnet", version: "v1", type: "model" },
      });
      // The artifact's own aliases are not the registry's.
      expect(first.version.artifact.aliases).toEqual(["latest"]);
      const second = await registry.link({
        ...target,
        source: source("resnet", "v0"),
        aliases: [],
        actor: "key:k1",
        now: 2100,
      });
      expect(second.version.version).toBe("v1");
      expect(second.version.artifact.digest).toBe(v0.digest);
      // Linking a version that is linked already answers that link (aliases placed), no new number.
      const again = await registry.link({
        ...target,
        source: source("resnet", "latest"),
        aliases: ["best"],
        actor: "key:k1",
        now: 2200,
      });
      expect(again.status).toBe("existing");
      expect(again.version).toMatchObject({ version: "v0", aliases: ["best", "staging"] });
      expect((await registry.resolve({ ...target, alias: "latest" }))?.version).toBe("v1");
      expect((await registry.resolve({ ...target, alias: "staging" }))?.artifact.version).toBe("v1");
      expect(await registry.resolve({ ...target, alias: "v9" })).toBeNull();
      expect((await registry.listVersions(target)).map((v) => v.version)).toEqual(["v1", "v0"]);
      expect(await registry.listCollections("team", "model")).toEqual([
        expect.objectContaining({ name: "classifier", type: "model", versionCount: 2, latest: "v1" }),
      ]);
      expect(await registry.listRegistries("team")).toEqual([
        expect.objectContaining({ name: "model", collectionCount: 1 }),
      ]);
      expect(
        (await registry.linksOf(source("resnet", "v1"))).map((l) => `${l.collection}:${l.version}`),
      ).toEqual(["classifier:v0"]);
      // Unlink: the number is never reused, the artifact stays.
      await registry.unlink({ ...target, alias: "v1" }, "key:k1", 2300);
      const third = await registry.link({
        ...target,
        source: source("resnet", "v0"),
        aliases: [],
        actor: "key:k1",
        now: 2400,
      });
      expect(third.version.version).toBe("v2");
      expect((await store.artifacts.resolveVersion(source("resnet", "v1")))?.version).toBe("v1");
    });

    it("moves an alias in one step and audits each change with who and from → to", async () => {
      const store = await open();
      const registry = registryOf(store);
      await logVersion(store, "resnet", "a");
      await logVersion(store, "resnet", "b", "model", 1100);
      await registry.link({
        ...target,
        source: source("resnet", "v0"),
        aliases: ["production"],
        actor: "key:k1",
        now: 2000,
      });
      await registry.link({
        ...target,
        source: source("resnet", "v1"),
        aliases: [],
        actor: "run:team/proj/train",
        now: 2100,
      });
      const moved = await registry.setAliases({ ...target, alias: "v1" }, ["production"], "key:k2", 2200);
      expect(moved.aliases).toEqual(["latest", "production"]);
      expect((await registry.resolve({ ...target, alias: "v0" }))?.aliases).toEqual([]);
      expect((await registry.resolve({ ...target, alias: "production" }))?.version).toBe("v1");
      await registry.setAliases({ ...target, alias: "production" }, [], "key:k3", 2300);
      expect(await registry.resolve({ ...target, alias: "production" })).toBeNull();
      await registry.unlink({ ...target, alias: "v0" }, "key:k3", 2400);
      const log = await registry.audit("team", "model", "classifier", 100);
      expect(log.map((e) => [e.action, e.alias, e.from, e.to, e.actor, e.at])).toEqual([
        ["unlink", null, "v0", null, "key:k3", 2400],
        ["alias", "production", "v1", null, "key:k3", 2300],
        ["alias", "production", "v0", "v1", "key:k2", 2200],
        ["link", null, null, "v1", "run:team/proj/train", 2100],
        ["alias", "production", null, "v0", "key:k1", 2000],
        ["link", null, null, "v0", "key:k1", 2000],
      ]);
      expect(log.at(-1)?.artifact).toBe("team/proj/resnet:v0");
      expect(await registry.audit("team", "model", "other", 100)).toEqual([]);
      expect(await registry.audit("team", "model", null, 2)).toHaveLength(2);
    });

    it("refuses another type, a missing source or a version name as an alias; latest places nothing", async () => {
      const store = await open();
      const registry = registryOf(store);
      await logVersion(store, "resnet", "a");
      await logVersion(store, "mnist", "d", "dataset");
      await registry.link({ ...target, source: source("resnet", "v0"), aliases: [], actor: "local", now: 1 });
      await expect(
        registry.link({ ...target, source: source("mnist", "v0"), aliases: [], actor: "local", now: 2 }),
      ).rejects.toMatchObject({ code: "USAGE" });
      await expect(
        registry.link({ ...target, source: source("resnet", "v5"), aliases: [], actor: "local", now: 3 }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(registry.setAliases({ ...target, alias: "v0" }, ["v3"], "local", 4)).rejects.toMatchObject(
        {
          code: "USAGE",
        },
      );
      // `latest` is the registry's own: asking for it places nothing.
      expect((await registry.setAliases({ ...target, alias: "v0" }, ["latest"], "local", 5)).aliases).toEqual(
        ["latest"],
      );
      await expect(registry.unlink({ ...target, alias: "v7" }, "local", 6)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      // Nothing of the refused calls is in the audit log.
      expect((await registry.audit("team", "model", null, 100)).map((e) => e.action)).toEqual(["link"]);
    });

    it("hides a link whose artifact version was deleted", async () => {
      const store = await open();
      const registry = registryOf(store);
      await logVersion(store, "resnet", "a");
      await registry.link({
        ...target,
        source: source("resnet", "v0"),
        aliases: ["production"],
        actor: "local",
        now: 1,
      });
      await store.artifacts.deleteVersion(source("resnet", "v0"), 2);
      expect(await registry.resolve({ ...target, alias: "production" })).toBeNull();
      expect(await registry.listVersions(target)).toEqual([]);
      expect((await registry.listCollections("team", "model"))[0]).toMatchObject({
        versionCount: 0,
        latest: null,
      });
    });
  });
}
