/**
 * The data directory the migrate tests copy: 100 runs in two projects, logged through the
 * server's ingestion (Store.applyBatch on a real SQLite store, two batches per run), with
 * events, console lines, meta records, finished / failed / still-running runs, run files (one
 * content shared by two runs), an API key, a chart preset, and artifacts: three versions of a
 * model (the first deleted, the second aliased `best`, tagged, used by another run and linked
 * into a registry as `production`, the third with a TTL). `loggedRuns()` is the truth the
 * tests compare the target with: built from formulas, not read back from the source.
 */
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  manifestDigestText,
  type HistoryRow,
  type ManifestEntry,
  type MetaRecord,
  type RunRef,
} from "@stepwise/protocol";
import { hashApiKey } from "../src/auth/api-key.js";
import { LocalBlobStore } from "../src/blob/local-blob-store.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";

export const RUNS = 100;
export const API_KEY = "sw-" + "Mig".repeat(13) + "x";
export const PRESET = {
  id: "loss-curve",
  body: {
    name: "Loss",
    description: "",
    fields: [],
    stringFields: [],
    overlay: false,
    spec: { mark: "line" },
  },
  at: 1_700_000_500,
};

export interface LoggedRun {
  ref: RunRef;
  name: string;
  /** 1-based place in its project. */
  ordinal: number;
  state: "finished" | "failed" | "running";
  rows: HistoryRow[];
  events: Array<Record<string, unknown>>;
  console: string[];
  meta: MetaRecord[];
  summary: Record<string, unknown>;
  files: Array<{ path: string; bytes: Buffer }>;
}

/** The step at which runs with files log an image (its file among the run's files). */
export const IMAGE_STEP = 100;

function sampleImage(i: number): { value: Record<string, unknown> & { path: string }; bytes: Buffer } {
  // The store indexes the value; nothing decodes the bytes here.
  const bytes = Buffer.from(`image bytes of run ${i}`);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = `media/images/samples_${IMAGE_STEP}_${sha256.slice(0, 20)}.png`;
  return {
    value: { _type: "image-file", path, sha256, size: bytes.length, format: "png", width: 4, height: 3 },
    bytes,
  };
}

/** The alert every 25th run raised (delivered by the source's server). */
export function alertOf(i: number): MetaRecord {
  return {
    t: "alert",
    title: `diverged ${i}`,
    text: "loss is NaN",
    level: "WARN",
    time: 1_700_000_050 + i,
    step: 10,
  };
}

export function loggedRuns(): LoggedRun[] {
  const ordinals = [0, 0];
  return Array.from({ length: RUNS }, (_, i) => {
    const project = i % 2;
    ordinals[project] = (ordinals[project] ?? 0) + 1;
    const image = i % 10 === 0 ? sampleImage(i) : null;
    const rows = Array.from({ length: 200 + (i % 7) * 20 }, (_, step) => ({
      _step: step,
      loss: 1 / (step + 1) + i,
      acc: step % 13 === 0 ? Number.NaN : step % 29 === 0 ? Number.POSITIVE_INFINITY : step / 1000,
      opt: { lr: 0.001 * (i + 1) },
      ...(step % 50 === 0 ? { note: `run ${i} at ${step}` } : {}),
      ...(image !== null && step === IMAGE_STEP ? { samples: image.value } : {}),
    }));
    return {
      ref: { entity: "team", project: `p${project}`, runId: `run${String(i).padStart(3, "0")}` },
      name: `run-${i}`,
      ordinal: ordinals[project] ?? 0,
      state: i % 4 === 0 ? "running" : i % 4 === 1 ? "failed" : "finished",
      rows,
      events: Array.from({ length: 5 + (i % 3) }, (_, k) => ({
        _timestamp: 1_700_000_000 + k,
        "system.cpu": k * i,
      })),
      console: Array.from({ length: 8 }, (_, k) => `epoch ${k} of run ${i}`),
      meta: [
        { t: "config", update: { extra: i } },
        { t: "run-update", tags: [`t${i % 3}`], notes: `notes ${i}` },
        ...(i % 25 === 0 ? [alertOf(i)] : []),
      ],
      summary: { loss: 1 / rows.length + i, best: { acc: i / 100 } },
      files:
        i % 10 === 0
          ? [
              { path: "out/model.txt", bytes: Buffer.from(`weights of run ${i}\n`.repeat(200)) },
              { path: "shared.txt", bytes: Buffer.from("the same content in several runs\n") },
              ...(image === null ? [] : [{ path: image.value.path, bytes: image.bytes }]),
            ]
          : [],
    };
  });
}

/** Writes `runs` into a fresh data directory `dir` (its stepwise.db and files/). */
export async function writeSourceData(dir: string, runs: readonly LoggedRun[]): Promise<void> {
  const store = await openSqliteStore(join(dir, "stepwise.db"));
  const blobs = new LocalBlobStore(join(dir, "files"), new UrlSigner(randomBytes(32)));
  try {
    for (const [i, run] of runs.entries()) {
      const writer = { id: `writer-of-run-${String(i).padStart(4, "0")}` };
      const half = Math.floor(run.rows.length / 2);
      const first = await store.applyBatch(
        run.ref,
        {
          writer,
          run: {
            name: run.name,
            config: { lr: 0.001 * (i + 1), layers: [i, 2] },
            startTime: 1_700_000_000 + i,
          },
          meta: { offset: 0, records: run.meta },
          history: { offset: 0, rows: run.rows.slice(0, half) },
          events: { offset: 0, lines: run.events },
          console: { offset: 0, lines: run.console },
        },
        1_700_000_000 + i + 10,
      );
      if (first.gap !== null) throw new Error(`gap in ${run.ref.runId}`);
      await store.applyBatch(
        run.ref,
        {
          writer,
          history: { offset: half, rows: run.rows.slice(half) },
          summary: run.summary,
          ...(run.state === "running"
            ? {}
            : { exit: { exitCode: run.state === "failed" ? 1 : 0, runtime: 60 } }),
        },
        1_700_000_000 + i + 20,
      );
      for (const file of run.files) {
        const written = await blobs.put(file.bytes);
        await store.putFile(run.ref, {
          path: file.path,
          size: written.size,
          sha256: written.sha256,
          contentType: "text/plain",
          updatedAt: 1_700_000_100 + i,
        });
      }
    }
    await store.createApiKey(
      { id: "key-ci", name: "ci", entity: "team", admin: true, createdAt: 1_700_000_000, lastUsedAt: null },
      hashApiKey(API_KEY),
    );
    await store.structured.putPreset(PRESET.id, PRESET.body, PRESET.at);
    await writeArtifacts(store, blobs, runs);
  } finally {
    await blobs.close();
    await store.close();
  }
}

/** The model's versions as logged: v0 (deleted), v1, v2; each one file. */
export const MODEL_VERSIONS = [0, 1, 2].map((v) => {
  const bytes = Buffer.from(`model weights, version ${v}\n`.repeat(100));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const entries: ManifestEntry[] = [{ path: "weights.bin", sha256, size: bytes.length }];
  const digest = createHash("sha256").update(manifestDigestText(entries)).digest("hex");
  return { name: `v${v}`, bytes, sha256, entries, digest };
});

async function writeArtifacts(
  store: Store,
  blobs: LocalBlobStore,
  runs: readonly LoggedRun[],
): Promise<void> {
  const [producer, consumer] = [runs[0]?.ref ?? null, runs[2]?.ref];
  for (const [v, version] of MODEL_VERSIONS.entries()) {
    await blobs.put(version.bytes);
    await store.artifacts.commitVersion({
      entity: "team",
      project: "p0",
      name: "model",
      type: "model",
      entries: version.entries,
      digest: version.digest,
      description: `version ${v}`,
      metadata: { accuracy: 0.9 + v / 100 },
      aliases: v === 1 ? ["best"] : [],
      tags: v === 1 ? ["candidate"] : [],
      ...(v === 2 ? { ttlS: 86_400 } : {}),
      producer,
      now: 1_700_000_600 + v,
    });
  }
  const ref = (alias: string) => ({ entity: "team", project: "p0", name: "model", alias });
  await store.artifacts.deleteVersion(ref("v0"), 1_700_000_700);
  if (consumer) await store.artifacts.recordUse(consumer, ref("best"), 1_700_000_710);
  await store.registry?.link({
    entity: "team",
    registry: "model-registry",
    collection: "digits",
    source: ref("best"),
    aliases: ["production"],
    actor: "key-ci",
    now: 1_700_000_720,
  });
  await writeDistributed(store, blobs, runs);
}

/** A distributed dataset: runs 3 and 4 upsert a shard each, run 5 finishes; run 6's is left pending. */
export const SHARDS = [3, 4, 6].map((run) => {
  const bytes = Buffer.from(`shard of run ${run}\n`.repeat(50));
  const entry: ManifestEntry = {
    path: `shard-${run}.bin`,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.length,
  };
  return { run, bytes, entry };
});

async function writeDistributed(
  store: Store,
  blobs: LocalBlobStore,
  runs: readonly LoggedRun[],
): Promise<void> {
  const distributed = store.artifacts.distributed;
  if (distributed === undefined) return;
  for (const shard of SHARDS) {
    await blobs.put(shard.bytes);
    await distributed.upsertPending({
      entity: "team",
      project: "p0",
      name: "dataset",
      distributedId: shard.run === 6 ? "later" : "group-a",
      type: "dataset",
      entries: [shard.entry],
      aliases: [],
      tags: [],
      writer: runs[shard.run]?.ref ?? null,
      now: 1_700_000_800 + shard.run,
    });
  }
  await distributed.finishPending({
    entity: "team",
    project: "p0",
    name: "dataset",
    distributedId: "group-a",
    type: "dataset",
    description: "",
    metadata: {},
    aliases: [],
    tags: [],
    producer: runs[5]?.ref ?? null,
    now: 1_700_000_810,
  });
}
