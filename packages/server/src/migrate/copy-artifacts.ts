/**
 * Artifacts and registries for `stepwise migrate`: the tables (artifact-tables.ts) copied whole
 * in one transaction into a target that holds no artifacts yet, after the contents their files
 * point at (into the target's file store, when it has its own). Recorded in `move_parts` with
 * a fingerprint of the source rows, so a second copy of unchanged artifacts writes nothing;
 * artifacts that changed in the source after they were copied are reported, not merged (the
 * target's servers may have added versions of their own since). The check compares each
 * table's row count and each project's collection listing, read through both stores.
 */
import { createHash } from "node:crypto";

import { ARTIFACT_BLOBS_SELECT, ARTIFACT_TABLES } from "./artifact-tables.js";
import type { MoveSource } from "./move-source.js";
import type { MoveTarget } from "./move-target.js";
import type { ArtifactsMoved } from "./move-summary.js";
import type { RunMismatch } from "./verify-run.js";

const PART = "artifacts";

export async function copyArtifacts(
  source: MoveSource,
  target: MoveTarget,
  now: number,
): Promise<ArtifactsMoved> {
  const { fingerprint, rows } = sourceRows(source);
  const moved: ArtifactsMoved = {
    state: "none",
    collections: rows.artifact_collections ?? 0,
    versions: rows.artifact_versions ?? 0,
    registryLinks: rows.registry_links ?? 0,
    blobs: 0,
    bytes: 0,
    missingBlobs: 0,
  };
  if (Object.values(rows).every((n) => n === 0)) return moved;
  const recorded = await target.movedPart(source.store.instanceId, PART);
  if (recorded !== null) return { ...moved, state: recorded === fingerprint ? "unchanged" : "changed-since" };
  if (target.blobs !== null)
    for (const [sha256, size] of source.select(ARTIFACT_BLOBS_SELECT) as Iterable<[string, number]>) {
      if ((await target.blobs.head(sha256)) !== null) continue;
      const body = await source.blobs.get(sha256);
      // Files of deleted versions are freed by garbage collection; their records stay.
      if (body === null) {
        moved.missingBlobs++;
        continue;
      }
      await target.blobs.put(body, { size, sha256 });
      moved.blobs++;
      moved.bytes += size;
    }
  const copied = await target.copyTables(
    source.store.instanceId,
    PART,
    fingerprint,
    ARTIFACT_TABLES,
    (table) => source.select(table.select),
    now,
  );
  return { ...moved, state: copied ? "copied" : "target-holds-artifacts" };
}

/** Where the target's artifacts differ from the source's (nothing when they were not copied). */
export async function verifyArtifacts(
  source: MoveSource,
  target: MoveTarget,
  moved: ArtifactsMoved,
): Promise<RunMismatch[]> {
  if (moved.state !== "copied" && moved.state !== "unchanged") return [];
  const mismatches: RunMismatch[] = [];
  const { rows } = sourceRows(source);
  const there = await target.countRows(ARTIFACT_TABLES.map((t) => t.table));
  for (const { table } of ARTIFACT_TABLES)
    if (rows[table] !== there[table])
      mismatches.push({
        run: "artifacts",
        what: `${table}: ${rows[table]} rows in the source, ${there[table]} in the target`,
      });
  const projects = source.select("SELECT DISTINCT entity, project FROM artifact_collections ORDER BY 1, 2");
  for (const [entity, project] of projects as Iterable<[string, string]>) {
    const [a, b] = await Promise.all([
      source.store.artifacts.listCollections(entity, project),
      target.store.artifacts.listCollections(entity, project),
    ]);
    if (JSON.stringify(a) !== JSON.stringify(b))
      mismatches.push({ run: "artifacts", what: `the collections of ${entity}/${project} differ` });
  }
  return mismatches;
}

/** Rows per table and a sha256 over all of them, in copy order. */
function sourceRows(source: MoveSource): { fingerprint: string; rows: Record<string, number> } {
  const hash = createHash("sha256");
  const rows: Record<string, number> = {};
  for (const table of ARTIFACT_TABLES) {
    let n = 0;
    hash.update(`\n${table.table}\n`);
    for (const row of source.select(table.select)) {
      hash.update(JSON.stringify(row)).update("\n");
      n++;
    }
    rows[table.table] = n;
  }
  return { fingerprint: hash.digest("hex"), rows };
}
