/**
 * `stepwise migrate` without the CLI: copies every run of a source store into a target store in
 * project order of creation (so that ordinals come out the same), then API keys and chart
 * presets, then checks every run on both sides (verify-run.ts). A run whose fingerprint the
 * target records is skipped: a second copy of unchanged data writes nothing; a copy killed at
 * any point continues from what the target holds.
 */
import type { RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store/store.js";
import { copyArtifacts, verifyArtifacts } from "./copy-artifacts.js";
import { copyFiles } from "./copy-files.js";
import { copyStreams } from "./copy-streams.js";
import type { MoveSource } from "./move-source.js";
import { runKey, type MoveTarget } from "./move-target.js";
import type { ArtifactsMoved, MoveProgress, MoveSummary } from "./move-summary.js";
import { runFingerprint } from "./run-fingerprint.js";
import { verifyRun } from "./verify-run.js";

export interface MoveOptions {
  onProgress?: (event: MoveProgress) => void;
  /** Unix seconds; default the wall clock. */
  now?: () => number;
}

export async function moveData(
  source: MoveSource,
  target: MoveTarget,
  options: MoveOptions = {},
): Promise<MoveSummary> {
  const report = options.onProgress ?? (() => undefined);
  const now = options.now ?? (() => Date.now() / 1000);
  const sourceId = source.store.instanceId;
  const refs = await listRuns(source);
  const moved = await target.movedRuns(sourceId);
  const summary = emptySummary(source, target, refs.length);
  // Alerts a killed earlier pass copied, before a server of the target hands them out.
  await settleCopiedAlerts(target, now());

  for (const [i, ref] of refs.entries()) {
    const run = await source.store.getRun(ref);
    if (run === null) continue; // runs are never deleted; listed a moment ago
    const files = await source.store.listFiles(ref);
    const fingerprint = runFingerprint(run, files);
    const before = moved.get(runKey(ref));
    if (before === fingerprint) {
      summary.runs.unchanged++;
      report({ phase: "copy", done: i + 1, total: refs.length, run: name(ref), copied: false, rows: 0 });
      continue;
    }
    const rows = await copyStreams(source, target.store, run, before !== undefined, (n) =>
      report({ phase: "rows", done: i, total: refs.length, run: name(ref), rows: n }),
    );
    if (rows.alerts > 0) await settleCopiedAlerts(target, now());
    const copied = await copyFiles(source, target, ref, files);
    const ordinal = await target.finishRun(sourceId, run, fingerprint, now());
    if (ordinal !== run.ordinal)
      summary.runs.renumbered.push({ run: name(ref), from: run.ordinal, to: ordinal });
    summary.runs.copied++;
    for (const stream of ["history", "events", "console", "meta"] as const)
      summary.rows[stream] += rows[stream];
    summary.files.records += copied.records;
    summary.files.blobs += copied.blobs;
    summary.files.bytes += copied.bytes;
    const total = rows.history + rows.events + rows.console + rows.meta;
    report({ phase: "copy", done: i + 1, total: refs.length, run: name(ref), copied: true, rows: total });
  }

  await settleCopiedAlerts(target, now());
  await copyKeys(source, target, summary);
  for (const preset of await source.store.structured.listPresets()) {
    summary.presets.total++;
    if (await target.putPreset(preset)) summary.presets.copied++;
  }
  summary.artifacts = await copyArtifacts(source, target, now());
  summary.notCopied = notCopied(summary.artifacts);

  summary.verified.mismatches.push(...(await verifyArtifacts(source, target, summary.artifacts)));
  for (const [i, ref] of refs.entries()) {
    const checked = await verifyRun(source.store, target, ref);
    summary.verified.runs++;
    summary.verified.historyRows += checked.historyRows;
    summary.verified.files += checked.files;
    summary.verified.mismatches.push(...checked.mismatches);
    report({
      phase: "verify",
      done: i + 1,
      total: refs.length,
      run: name(ref),
      ok: checked.mismatches.length === 0,
    });
  }
  return summary;
}

/**
 * Alerts arrive with the meta records the copy replays, and the target's ingestion keeps them
 * to be handed out to its alert destinations, late. The source delivered them already: they
 * are handed out here to no destination, so no server of the target sends them again.
 */
async function settleCopiedAlerts(target: MoveTarget, now: number): Promise<void> {
  await target.store.alerts.dispatchNew([], now);
}

/** Every run of the source, each project's in the order they were created (by ordinal). */
async function listRuns(source: MoveSource): Promise<RunRef[]> {
  const refs: RunRef[] = [];
  for (const entity of await source.store.listEntities())
    for (const project of await source.store.listProjects(entity.name)) {
      const runs: StoredRun[] = [];
      let cursor: string | undefined;
      do {
        const page = await source.store.listRuns({
          entity: entity.name,
          project: project.name,
          limit: 1000,
          select: { config: [], summary: [] },
          ...(cursor === undefined ? {} : { cursor }),
        });
        runs.push(...page.runs);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      runs.sort((a, b) => a.ordinal - b.ordinal);
      for (const run of runs) refs.push({ entity: run.entity, project: run.project, runId: run.id });
    }
  return refs;
}

async function copyKeys(source: MoveSource, target: MoveTarget, summary: MoveSummary): Promise<void> {
  const present = new Set((await target.store.exportApiKeys()).map((k) => k.key.id));
  for (const { key, secretHash } of await source.store.exportApiKeys()) {
    summary.apiKeys.total++;
    if (present.has(key.id)) continue;
    await target.store.createApiKey(key, secretHash);
    summary.apiKeys.copied++;
  }
}

/** What the source holds that this copy leaves behind, with why. */
function notCopied(artifacts: ArtifactsMoved): string[] {
  const what = `artifacts (${artifacts.collections} collection(s), ${artifacts.versions} version(s))`;
  const out: string[] = [];
  if (artifacts.state === "changed-since")
    out.push(`${what}: changed in the source since an earlier copy; not merged into the target's`);
  if (artifacts.state === "target-holds-artifacts")
    out.push(`${what}: the target holds artifacts of its own; copy into a database without artifacts`);
  if (artifacts.missingBlobs > 0)
    out.push(
      `${artifacts.missingBlobs} artifact file content(s) the source no longer has (freed after their versions were deleted)`,
    );
  return out;
}

function name(ref: RunRef): string {
  return `${ref.entity}/${ref.project}/${ref.runId}`;
}

function emptySummary(source: MoveSource, target: MoveTarget, runs: number): MoveSummary {
  return {
    source: { dataDir: source.dataDir, instanceId: source.store.instanceId },
    target: target.where,
    runs: { total: runs, copied: 0, unchanged: 0, renumbered: [] },
    rows: { history: 0, events: 0, console: 0, meta: 0 },
    files: { records: 0, blobs: 0, bytes: 0 },
    apiKeys: { total: 0, copied: 0 },
    presets: { total: 0, copied: 0 },
    artifacts: {
      state: "none",
      collections: 0,
      versions: 0,
      registryLinks: 0,
      blobs: 0,
      bytes: 0,
      missingBlobs: 0,
    },
    notCopied: [],
    verified: { runs: 0, historyRows: 0, files: 0, mismatches: [] },
  };
}
