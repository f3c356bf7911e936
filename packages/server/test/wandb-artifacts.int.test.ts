/**
 * Artifacts through the real `wandb` client, unmodified (fixtures/wandb/log_artifact.py), mapped
 * onto Stepwise's artifact store: a folder logged with `run.log_artifact` becomes one version
 * (logging it again unchanged makes no new one, and places the alias it asked for), Stepwise's own API and SDK see it (type,
 * description, metadata, files, producer) and download the bytes the script wrote; an artifact
 * logged by Stepwise's SDK that shares a file with it is stored once and is used and downloaded
 * by a new `wandb` run (`use_artifact`, `download`), which Stepwise records as a consumer, and
 * `wandb.Api()` lists versions, collections and each run's logged and used artifacts and adds an
 * alias (`artifact.save()`) and deletes a version (`artifact.delete()`). Every
 * pinned client: they look artifacts up by name through different documents (0.25.1 with
 * `project.artifact(name, enableTracking)`, 0.28.2 through the membership fields).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { Artifact, init } from "@stepwise/sdk";
import { useWandb, wandbVersions } from "./support/wandb-fixture.js";

type Files = Record<string, string>;

interface Logged {
  entity: string;
  project: string;
  id: string;
  versions: string[];
  files: Files;
}
interface Used {
  id: string;
  api: Record<string, unknown>;
  used: Record<string, { version: string; type: string; metadata: Record<string, unknown>; files: Files }>;
}
interface VersionDto {
  version: string;
  type: string;
  description: string;
  metadata: Record<string, unknown>;
  fileCount: number;
  size: number;
  producer: { runId: string } | null;
  aliases: string[];
}

/** Every file under `root`, relative path → base64 bytes. */
async function readTree(root: string): Promise<Files> {
  const files: Files = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full).split("\\").join("/")] = (await readFile(full)).toString("base64");
  }
  return files;
}

describe.each(wandbVersions())("wandb %s artifacts", (version) => {
  const w = useWandb(version, "artifacts");

  test("log_artifact, re-log unchanged, use and download: one version, the written bytes, shared blobs once", async () => {
    const out = join(w.dir, "logged.json");
    await w.script("log_artifact.py", [out, "log"]);
    const logged = JSON.parse(await readFile(out, "utf8")) as Logged;
    expect(Object.keys(logged.files).sort()).toEqual(["bytes.bin", "nested/labels.json", "train.txt"]);
    expect(logged.versions).toEqual(["v0", "v0"]);

    const base = `/artifacts/${logged.entity}/${logged.project}`;
    const versions = (JSON.parse(await w.api(`${base}/dataset/versions`)) as { versions: VersionDto[] })
      .versions;
    expect(versions.map((v) => [v.version, v.type, v.description, v.metadata, v.fileCount])).toEqual([
      ["v0", "dataset", "three files", { rows: 2 }, 3],
    ]);
    expect(versions[0]?.producer?.runId).toBe(logged.id);
    // The alias of the unchanged re-log is placed on the version it matched, as on W&B.
    expect(versions[0]?.aliases.sort()).toEqual(["again", "first", "latest"]);

    // Stepwise's SDK uses and downloads it, then logs an artifact sharing one file with it.
    const sdkRoot = join(w.dir, "sdk");
    const modelDir = join(sdkRoot, "model");
    await mkdir(modelDir, { recursive: true });
    const shared = Buffer.from(logged.files["bytes.bin"] ?? "", "base64");
    await writeFile(join(modelDir, "weights.bin"), shared);
    await writeFile(join(modelDir, "readme.txt"), "logged by stepwise\n");
    const run = await init({
      dir: sdkRoot,
      baseUrl: w.server.url,
      apiKey: w.key,
      project: logged.project,
      settings: { silent: true },
    });
    const dataset = await run.useArtifact("dataset:latest");
    expect(await readTree(await dataset.download({ root: join(sdkRoot, "dataset") }))).toEqual(logged.files);
    const model = new Artifact("sdk-model", "model", { metadata: { from: "stepwise" } });
    model.addDir(modelDir);
    await run.logArtifact(model);
    await model.wait();
    await run.finish();

    const storage = JSON.parse(await w.api(`/artifact-storage/${logged.entity}/${logged.project}`)) as {
      bytes: number;
      logicalBytes: number;
    };
    expect(storage.logicalBytes - storage.bytes).toBe(shared.length);

    const usedOut = join(w.dir, "used.json");
    await w.script("log_artifact.py", [usedOut, "use", logged.id, "dataset:latest", "sdk-model:latest"]);
    const used = JSON.parse(await readFile(usedOut, "utf8")) as Used;
    expect(used.used["dataset:latest"]).toEqual({
      version: "v0",
      type: "dataset",
      metadata: { rows: 2 },
      files: logged.files,
    });
    expect(used.used["sdk-model:latest"]).toEqual({
      version: "v0",
      type: "model",
      metadata: { from: "stepwise" },
      files: await readTree(modelDir),
    });
    expect(used.api).toEqual({
      aliases_after_save: ["again", "best", "first", "latest"],
      by_alias: "v0",
      versions: ["v0"],
      collections: ["dataset"],
      logged: ["dataset:v0"],
      used: ["dataset:v0", "sdk-model:v0"],
      model_versions_after_delete: [],
    });
    const models = JSON.parse(await w.api(`${base}/sdk-model/versions`)) as { versions: unknown[] };
    expect(models.versions).toEqual([]);
    const lineage = JSON.parse(
      await w.api(`/runs/${logged.entity}/${logged.project}/${used.id}/artifacts`),
    ) as { used: Array<{ name: string; version: string }> };
    // The consumer used both (read above, before the delete); the deleted version leaves its lineage.
    expect(lineage.used.map((v) => `${v.name}:${v.version}`)).toEqual(["dataset:v0"]);
  }, 300_000);
});
