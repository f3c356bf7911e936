/**
 * W&B's artifact protocol request by request against a real server (the real clients run in
 * wandb-artifacts.int.test.ts): createArtifact → createArtifactManifest / createArtifactFiles →
 * credential-less PUTs → commitArtifact, with W&B's MD5 digests. Pins what a client relies on:
 * the committed version holds the uploaded bytes (read back through Stepwise's API by SHA-256),
 * its W&B digest is the one the client computed, unchanged content answers the existing version,
 * a known file gets no upload URL, a server restarted before every step (the steps are kept in
 * the database, on SQLite and on PostgreSQL) loses nothing, and what cannot be committed (bytes that do not match their
 * MD5, a forgotten artifact, another type, a tampered URL) is refused with a message, never
 * stored; `updateArtifact` moves aliases and refuses to change what Stepwise keeps as logged;
 * `deleteArtifact` deletes a version holding aliases only with `deleteAliases`.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./http-harness.js";

const servers: TestServer[] = [];
afterEach(async () => {
  // Newest first: servers restarted on a data directory close before the first removes it.
  for (const server of servers.splice(0).reverse()) await server[Symbol.asyncDispose]();
});

const md5 = (bytes: Buffer): string => createHash("md5").update(bytes).digest("base64");
const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
/** W&B's MANIFEST_MD5 digest of `path → bytes`. */
function wandbDigest(files: Record<string, Buffer>): string {
  const hash = createHash("md5").update("wandb-artifact-manifest-v1\n");
  for (const path of Object.keys(files).sort())
    hash.update(`${path}:${md5(files[path] ?? Buffer.alloc(0))}\n`);
  return hash.digest("hex");
}

const basic = (key: string): string => `Basic ${Buffer.from(`api:${key}`).toString("base64")}`;

interface Answer {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: Array<{ message: string }>;
}

async function gql(t: TestServer, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await t.fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basic(t.adminKey) },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

const CREATE = `mutation($input: CreateArtifactInput!) { createArtifact(input: $input) {
  artifact { id state digest versionIndex artifactSequence { latestArtifact { id } } } } }`;
const MANIFEST = `mutation($id: ID!) { createArtifactManifest(input: {artifactID: $id, name: "wandb_manifest.json",
  digest: "x", entityName: "local", projectName: "p", runName: "r1", type: FULL}) {
  artifactManifest { id file { uploadUrl } } } }`;
const FILES = `mutation($files: [CreateArtifactFileSpecInput!]!) {
  createArtifactFiles(input: {artifactFiles: $files, storageLayout: V2}) {
  files { edges { node { storagePath uploadUrl } } } } }`;
const COMMIT = `mutation($id: ID!) { commitArtifact(input: {artifactID: $id}) { artifact { id digest versionIndex state } } }`;

/** A new server on `t`'s data (and database), `t` stopped first: a restart. */
async function restarted(t: TestServer): Promise<TestServer> {
  await t.stop();
  const next = await startTestServer({}, t.dataDir);
  servers.push(next);
  return next;
}

/**
 * Logs `files` as artifact `name` the way wandb-core does; `bodies` replaces what is PUT;
 * `restart`: every step (each upload too) reaches a server started since the step before, at
 * its own address (as through a load balancer). `server` is the last one.
 */
async function logArtifact(
  t: TestServer,
  name: string,
  files: Record<string, Buffer>,
  options: { type?: string; bodies?: Record<string, Buffer>; restart?: boolean } = {},
) {
  let server = t;
  const at = async (): Promise<TestServer> =>
    options.restart === true ? (server = await restarted(server)) : server;
  const rebased = async (url: string): Promise<string> => {
    const { pathname, search } = new URL(url);
    return `${(await at()).url}${pathname}${search}`;
  };
  const digest = wandbDigest(files);
  const input = {
    artifactTypeName: options.type ?? "dataset",
    artifactCollectionName: name,
    entityName: "local",
    projectName: "p",
    runName: "r1",
    digest,
    digestAlgorithm: "MANIFEST_MD5",
    aliases: [{ alias: "latest", artifactCollectionName: name }],
    metadata: JSON.stringify({ n: 1 }),
  };
  const created = await gql(await at(), CREATE, { input });
  const artifact = created.data?.["createArtifact"]?.["artifact"] as
    { id: string; state: string } | undefined;
  if (artifact === undefined || artifact.state === "COMMITTED") return { created, digest, server };
  const manifest = await gql(await at(), MANIFEST, { id: artifact.id });
  const manifestUrl = String(
    (manifest.data?.["createArtifactManifest"]?.["artifactManifest"] as { file: { uploadUrl: string } }).file
      .uploadUrl,
  );
  const specs = Object.entries(files).map(([path, bytes]) => ({
    artifactID: artifact.id,
    name: path,
    md5: md5(bytes),
  }));
  const answer = await gql(await at(), FILES, { files: specs });
  const edges = (
    answer.data?.["createArtifactFiles"]?.["files"] as {
      edges: Array<{ node: Record<string, string | null> }>;
    }
  ).edges;
  const uploaded: string[] = [];
  for (const { node } of edges) {
    const path = String(node["storagePath"]);
    if (node["uploadUrl"] === null) continue;
    const put = await fetch(await rebased(String(node["uploadUrl"])), {
      method: "PUT",
      body: options.bodies?.[path] ?? files[path] ?? Buffer.alloc(0),
    });
    expect(put.status).toBe(200);
    uploaded.push(path);
  }
  const contents = Object.fromEntries(
    Object.entries(files).map(([path, bytes]) => [path, { digest: md5(bytes), size: bytes.length }]),
  );
  const body = JSON.stringify({ version: 1, storagePolicy: "wandb-storage-policy-v1", contents });
  expect((await fetch(await rebased(manifestUrl), { method: "PUT", body })).status).toBe(200);
  const committed = await gql(await at(), COMMIT, { id: artifact.id });
  return { created, digest, uploaded, committed, server };
}

async function start(): Promise<TestServer> {
  const t = await startTestServer();
  servers.push(t);
  const run = `mutation { upsertBucket(input: {name: "r1", modelName: "p", entityName: "local"}) { bucket { id } } }`;
  expect((await gql(t, run)).errors).toBeUndefined();
  return t;
}

describe("W&B artifact protocol", () => {
  test("a logged version holds the uploaded bytes under W&B's digest; unchanged content and known files are not sent again", async () => {
    const t = await start();
    const files = { "a.txt": Buffer.from("alpha\n"), "dir/b.bin": Buffer.from([0, 1, 2, 255]) };
    const first = await logArtifact(t, "data", files);
    expect(first.uploaded?.sort()).toEqual(["a.txt", "dir/b.bin"]);
    expect(first.committed?.errors).toBeUndefined();
    expect(first.committed?.data?.["commitArtifact"]?.["artifact"]).toMatchObject({
      digest: first.digest,
      versionIndex: 0,
      state: "COMMITTED",
    });
    const manifest = (await (
      await t.fetch("/api/v1/artifacts/local/p/data/v0/manifest", {
        headers: { authorization: `Bearer ${t.adminKey}` },
      })
    ).json()) as {
      entries: Array<{ path: string; sha256: string; size: number }>;
      version: { metadata: unknown };
    };
    expect(manifest.entries.map((e) => [e.path, e.sha256, e.size])).toEqual(
      Object.entries(files).map(([path, bytes]) => [path, sha256(bytes), bytes.length]),
    );
    expect(manifest.version.metadata).toEqual({ n: 1 });

    const again = await logArtifact(t, "data", files);
    expect(again.created.data?.["createArtifact"]?.["artifact"]).toMatchObject({
      state: "COMMITTED",
      versionIndex: 0,
    });

    // New content sharing a file: only the new file is uploaded.
    const next = { ...files, "c.txt": Buffer.from("gamma\n") };
    const second = await logArtifact(t, "data", next);
    expect(second.uploaded).toEqual(["c.txt"]);
    expect(second.committed?.data?.["commitArtifact"]?.["artifact"]).toMatchObject({
      digest: second.digest,
      versionIndex: 1,
    });
  });

  test("a server restarted before every step (create, manifest, files, each upload, commit) loses nothing", async () => {
    const files = { "a.txt": Buffer.from("alpha\n"), "dir/b.bin": Buffer.from([0, 1, 2, 255]) };
    const first = await logArtifact(await start(), "data", files, { restart: true });
    expect(first.uploaded?.sort()).toEqual(["a.txt", "dir/b.bin"]);
    expect(first.committed?.errors).toBeUndefined();
    expect(first.committed?.data?.["commitArtifact"]?.["artifact"]).toMatchObject({
      digest: first.digest,
      versionIndex: 0,
      state: "COMMITTED",
    });
    const t = first.server;
    const manifest = (await (
      await t.fetch("/api/v1/artifacts/local/p/data/v0/manifest", {
        headers: { authorization: `Bearer ${t.adminKey}` },
      })
    ).json()) as { entries: Array<{ path: string; sha256: string; size: number }> };
    expect(manifest.entries.map((e) => [e.path, e.sha256, e.size])).toEqual(
      Object.entries(files).map(([path, bytes]) => [path, sha256(bytes), bytes.length]),
    );
    // The MD5s outlive the restarts: the shared file gets no upload URL from yet another server.
    const second = await logArtifact(
      t,
      "data",
      { ...files, "c.txt": Buffer.from("gamma\n") },
      { restart: true },
    );
    expect(second.uploaded).toEqual(["c.txt"]);
    expect(second.committed?.data?.["commitArtifact"]?.["artifact"]).toMatchObject({ versionIndex: 1 });
  });

  test("bytes that do not match their MD5, a changed description or metadata, a forgotten artifact, another type and a tampered URL are refused", async () => {
    const t = await start();
    const files = { "a.txt": Buffer.from("the real content\n") };
    const corrupt = await logArtifact(t, "data", files, {
      bodies: { "a.txt": Buffer.from("other bytes\n") },
    });
    expect(corrupt.committed?.errors?.[0]?.message).toContain("'a.txt'");
    const versions = await t.fetch("/api/v1/artifacts/local/p/data/versions", {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(((await versions.json()) as { versions: unknown[] }).versions).toEqual([]);

    // A logged version's description and metadata stay as logged; aliases move (older clients).
    const logged = await logArtifact(t, "kept", { "k.txt": Buffer.from("k") });
    const id = (logged.committed?.data?.["commitArtifact"]?.["artifact"] as { id: string }).id;
    const UPDATE = `mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { aliases { alias } } } }`;
    const changed = await gql(t, UPDATE, { input: { artifactID: id, metadata: JSON.stringify({ n: 2 }) } });
    expect(changed.errors?.[0]?.message).toContain("changing a logged artifact's metadata");
    const aliased = await gql(t, UPDATE, {
      input: {
        artifactID: id,
        metadata: JSON.stringify({ n: 1 }),
        aliases: [{ alias: "best", artifactCollectionName: "kept" }],
      },
    });
    expect(aliased.data?.["updateArtifact"]?.["artifact"]).toEqual({
      aliases: [{ alias: "latest" }, { alias: "best" }],
    });

    const DELETE = `mutation($id: ID!, $all: Boolean) { deleteArtifact(input: {artifactID: $id, deleteAliases: $all}) { artifact { id } } }`;
    expect((await gql(t, DELETE, { id })).errors?.[0]?.message).toContain(
      "delete it with delete_aliases=True",
    );
    expect((await gql(t, DELETE, { id, all: true })).errors).toBeUndefined();
    const left = await t.fetch("/api/v1/artifacts/local/p/kept/versions", {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(((await left.json()) as { versions: unknown[] }).versions).toEqual([]);

    const forgotten = await gql(t, COMMIT, { id: "P000000000000000000000000" });
    expect(forgotten.errors?.[0]?.message).toContain("log the artifact again");

    expect((await logArtifact(t, "data", files)).committed?.errors).toBeUndefined();
    const typed = await logArtifact(t, "data", { "z.txt": Buffer.from("z") }, { type: "model" });
    expect(typed.created.errors?.[0]?.message).toContain("with type 'dataset', not 'model'");

    const input = {
      artifactTypeName: "dataset",
      artifactCollectionName: "other",
      entityName: "local",
      projectName: "p",
      runName: "r1",
      digest: "d",
    };
    const pending = (await gql(t, CREATE, { input })).data?.["createArtifact"]?.["artifact"] as {
      id: string;
    };
    const spec = [{ artifactID: pending.id, name: "x.txt", md5: md5(Buffer.from("x")) }];
    const edges = (await gql(t, FILES, { files: spec })).data?.["createArtifactFiles"]?.["files"] as {
      edges: Array<{ node: { uploadUrl: string } }>;
    };
    const url = edges.edges[0]?.node.uploadUrl ?? "";
    const tampered = url.replace(/signature=./, (s) => (s.endsWith("A") ? "signature=B" : "signature=A"));
    expect((await fetch(tampered, { method: "PUT", body: "x" })).status).toBe(403);
  });
});
