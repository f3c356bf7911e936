/**
 * Registry and lineage routes through a real server: a link is made once (linking again answers
 * the same link), aliases move and are audited with the API key as who, an unlink keeps the
 * artifact, a key of another entity may neither link into nor from this entity, and bad input
 * is a 4xx naming the field or the fix.
 */
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  createApiKeyResponseSchema,
  manifestDigestText,
  registryPaths,
  type LineageGraph,
  type ManifestEntry,
  type RegistryAuditDto,
  type RegistryLinkResponse,
  type RegistryVersionDto,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { errorOf, sha256, uploadFile } from "./support/file-uploads.js";

const train: RunRef = { entity: "local", project: "p", runId: "train" };
const evaluation: RunRef = { entity: "local", project: "p", runId: "eval" };

async function logVersion(t: TestServer, name: string, type: string, content: string): Promise<void> {
  const bytes = Buffer.from(content);
  await uploadFile(t.url, train, { path: `held/${name}-${content}`, bytes });
  const entries: ManifestEntry[] = [{ path: "weights.bin", sha256: sha256(bytes), size: bytes.length }];
  const body = {
    type,
    manifest: { version: 1, entries },
    digest: sha256(Buffer.from(manifestDigestText(entries))),
    run: train,
  };
  const response = await t.send("POST", `/api/v1/artifacts/local/p/${name}/versions`, body, {
    key: t.adminKey,
  });
  expect(response.status).toBe(201);
}

const link = (t: TestServer, body: object, key: string, collection = "classifier") =>
  t.send("POST", registryPaths.links("local", "model", collection), body, { key });
const source = (name: string, alias: string) => ({ entity: "local", project: "p", name, alias });

describe("registry routes", () => {
  test("link once, move an alias, unlink; each change audited with the key as who; lineage both ways", async () => {
    await using t = await startTestServer();
    const key = t.adminKey;
    await t.ingest(train, historyBatch(0, 1));
    await t.ingest(evaluation, historyBatch(0, 1));
    await logVersion(t, "resnet", "model", "a");
    await logVersion(t, "resnet", "model", "b");
    const first = await link(t, { artifact: source("resnet", "v0"), aliases: ["production"] }, key);
    expect(first.status).toBe(201);
    expect(((await first.json()) as RegistryLinkResponse).version).toMatchObject({
      version: "v0",
      aliases: ["latest", "production"],
    });
    const again = await link(t, { artifact: source("resnet", "v0") }, key);
    expect(again.status).toBe(200);
    expect(((await again.json()) as RegistryLinkResponse).status).toBe("existing");
    expect((await link(t, { artifact: source("resnet", "latest") }, key)).status).toBe(201);

    const moved = await t.send(
      "PUT",
      registryPaths.aliases("local", "model", "classifier", "v1"),
      { aliases: ["production"] },
      { key },
    );
    expect(((await moved.json()) as RegistryVersionDto).aliases).toEqual(["latest", "production"]);
    const production = await t.fetch(registryPaths.version("local", "model", "classifier", "production"), {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await production.json()) as RegistryVersionDto).artifact.version).toBe("v1");
    const unlinked = await t.fetch(registryPaths.version("local", "model", "classifier", "v0"), {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(unlinked.status).toBe(200);
    expect(
      (
        await t.fetch(registryPaths.version("local", "model", "classifier", "v0"), {
          headers: { authorization: `Bearer ${key}` },
        })
      ).status,
    ).toBe(404);
    // The artifact version itself stays.
    expect(
      (await t.fetch("/api/v1/artifacts/local/p/resnet/v0", { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);

    const audit = (await (
      await t.fetch(`${registryPaths.audit("local", "model")}?collection=classifier`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { entries: RegistryAuditDto[] };
    expect(audit.entries.map((e) => [e.action, e.alias, e.from, e.to])).toEqual([
      ["unlink", null, "v0", null],
      ["alias", "production", "v0", "v1"],
      ["link", null, null, "v1"],
      ["alias", "production", null, "v0"],
      ["link", null, null, "v0"],
    ]);
    for (const entry of audit.entries) expect(entry.actor).toMatch(/^key:/);

    // Lineage: train produced resnet:v1, eval used it.
    const use = await t.send(
      "POST",
      "/api/v1/artifacts/local/p/resnet/v1/uses",
      { run: evaluation },
      { key },
    );
    expect(use.status).toBe(200);
    const graph = (await (
      await t.fetch(`${registryPaths.lineage("local", "p", "resnet", "v1")}?depth=1`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as LineageGraph;
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: "run:local/p/train", to: "artifact:local/p/resnet:v1" },
        { from: "artifact:local/p/resnet:v1", to: "run:local/p/eval" },
      ]),
    );
    expect(graph.edges).toHaveLength(2);
    expect(graph.truncated).toBe(true);
  });

  test("another entity's key can neither link into nor from this entity; bad input names the fix", async () => {
    await using t = await startTestServer();
    const key = t.adminKey;
    await t.ingest(train, historyBatch(0, 1));
    await logVersion(t, "resnet", "model", "a");
    await logVersion(t, "mnist", "dataset", "d");
    const created = await t.send("POST", apiPaths.keys(), { name: "other", entity: "other" }, { key });
    const other = createApiKeyResponseSchema.parse(await created.json()).key;
    expect((await link(t, { artifact: source("resnet", "v0") }, other)).status).toBe(403);
    const fromOther = await t.send(
      "POST",
      registryPaths.links("other", "model", "stolen"),
      { artifact: source("resnet", "v0") },
      { key: other },
    );
    expect(fromOther.status).toBe(403);

    expect(await errorOf(await link(t, { artifact: source("resnet", "v9") }, key))).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
    });
    const badAlias = await errorOf(await link(t, { artifact: source("resnet", "v0"), aliases: ["v3"] }, key));
    expect(badAlias).toMatchObject({ status: 400 });
    expect(badAlias.message).toMatch(/version name/);
    expect((await link(t, { artifact: source("resnet", "v0") }, key)).status).toBe(201);
    const wrongType = await errorOf(await link(t, { artifact: source("mnist", "v0") }, key));
    expect(wrongType).toMatchObject({ status: 400, code: "USAGE" });
    expect(wrongType.message).toMatch(/holds 'model' artifacts/);
    const lineage = (depth: string) =>
      t.fetch(`${registryPaths.lineage("local", "p", "resnet", "v0")}?depth=${depth}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await lineage("0")).status).toBe(400);
    expect((await lineage("9")).status).toBe(400);
    expect(
      (
        await t.fetch(registryPaths.lineage("local", "p", "resnet", "v7"), {
          headers: { authorization: `Bearer ${key}` },
        })
      ).status,
    ).toBe(404);
    // Only the one good link is in the audit log.
    const audit = (await (
      await t.fetch(registryPaths.audit("local", "model"), { headers: { authorization: `Bearer ${key}` } })
    ).json()) as {
      entries: RegistryAuditDto[];
    };
    expect(audit.entries.map((e) => e.action)).toEqual(["link"]);
  });
});
