/**
 * Artifacts and the registry through two API servers on one PostgreSQL database (one data
 * directory for the blobs and the admin key): a version committed through one is listed,
 * resolved by alias and downloaded (the bytes as uploaded) through the other; commits sent to
 * both at once are numbered each once; a link made through one is resolved and audited through
 * the other; garbage collection on either keeps every blob a live manifest holds, and frees a
 * deleted version's own blob. Skipped only where the PostgreSQL server binaries are absent.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  manifestDigestText,
  registryPaths,
  type ArtifactCommitResponse,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RegistryVersionDto,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { sha256, uploadFile } from "./support/file-uploads.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const producer: RunRef = { entity: "local", project: "p", runId: "train" };
const base = "/api/v1/artifacts/local/p";

/** Uploads `bytes` as a run file through `t` (content-addressed: the artifact's blob). */
async function hold(t: TestServer, path: string, bytes: Buffer): Promise<ManifestEntry> {
  await uploadFile(t.url, producer, { path: `held/${path}-${sha256(bytes).slice(0, 8)}`, bytes });
  return { path, sha256: sha256(bytes), size: bytes.length };
}

async function commit(t: TestServer, entries: ManifestEntry[], aliases: string[] = []) {
  const response = await t.send("POST", `${base}/resnet/versions`, {
    type: "model",
    manifest: { version: 1, entries },
    digest: sha256(Buffer.from(manifestDigestText(entries))),
    run: producer,
    aliases,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as ArtifactCommitResponse).version;
}

describe.skipIf(missing !== null)(
  `artifacts on two API servers over PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("commits through one server and serves, links and collects through the other", async () => {
      const database = await (server as PostgresProcess).createDatabase();
      const dataDir = await mkdtemp(join(tmpdir(), "stepwise-pg-artifacts-"));
      try {
        await using a = await startTestServer({ database, gcIntervalS: 0 }, dataDir);
        await using b = await startTestServer({ database, gcIntervalS: 0 }, dataDir);
        await a.ingest(producer, historyBatch(0, 1));
        const weights = randomBytes(100_000);
        const v0 = await commit(a, [await hold(a, "weights.bin", weights)], ["best"]);
        expect(v0).toMatchObject({ version: "v0", aliases: ["latest", "best"] });

        const manifest = (await (await b.fetch(`${base}/resnet/best/manifest`)).json()) as {
          version: ArtifactVersionDto;
          entries: Array<ManifestEntry & { url?: string }>;
        };
        expect(manifest.version.digest).toBe(v0.digest);
        const url = manifest.entries[0]?.url ?? "";
        expect(Buffer.from(await (await fetch(b.url + url)).arrayBuffer()).equals(weights)).toBe(true);

        // Commits of new content sent to both servers at once: v1…v6, each once.
        const contents = Array.from({ length: 6 }, () => randomBytes(1000));
        const entries = await Promise.all(
          contents.map((bytes, i) => hold(i % 2 === 1 ? b : a, "weights.bin", bytes)),
        );
        const versions = await Promise.all(entries.map((entry, i) => commit(i % 2 === 1 ? b : a, [entry])));
        expect(versions.map((v) => v.version).sort()).toEqual(["v1", "v2", "v3", "v4", "v5", "v6"]);
        const listed = (await (await a.fetch(`${base}/resnet/versions`)).json()) as {
          versions: ArtifactVersionDto[];
        };
        expect(listed.versions.map((v) => v.version)).toEqual(["v6", "v5", "v4", "v3", "v2", "v1", "v0"]);

        const linked = await a.send("POST", registryPaths.links("local", "model", "classifier"), {
          artifact: { entity: "local", project: "p", name: "resnet", alias: "best" },
          aliases: ["production"],
        });
        expect(linked.status).toBe(201);
        const production = (await (
          await b.fetch(registryPaths.version("local", "model", "classifier", "production"))
        ).json()) as RegistryVersionDto;
        expect(production.artifact).toMatchObject({ version: "v0", digest: v0.digest });
        const audit = (await (await b.fetch(registryPaths.audit("local", "model"))).json()) as {
          entries: Array<{ action: string }>;
        };
        expect(audit.entries.map((e) => e.action)).toEqual(["alias", "link"]);

        // GC keeps every blob a live manifest holds; a deleted version's own blob (its run file
        // replaced too) is freed by the other server's collection.
        const last = entries[5] as ManifestEntry & { sha256: string };
        expect((await a.server.collectGarbage({ graceS: 0 })).freed).toEqual([]);
        await uploadFile(a.url, producer, {
          path: `held/weights.bin-${last.sha256.slice(0, 8)}`,
          bytes: Buffer.from("replaced"),
        });
        expect((await b.server.collectGarbage({ graceS: 0 })).freed).toEqual([]); // its version holds it
        const holder = versions[5]?.version ?? "";
        expect((await b.send("DELETE", `${base}/resnet/${holder}`, undefined)).status).toBe(200);
        expect((await a.server.collectGarbage({ graceS: 0 })).freed).toEqual([last.sha256]);
        const kept = Buffer.from(await (await fetch(b.url + url)).arrayBuffer());
        expect(kept.equals(weights)).toBe(true);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  },
);
