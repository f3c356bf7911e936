/**
 * Applies a retention policy to one collection, the same way on demand (`POST …/retention`) and
 * on the schedule (artifact-retention-job.ts): the plan (domain/artifact-retention.ts) over the
 * collection's live versions and where each is linked in a registry, the bytes it frees, then,
 * unless a dry run, the soft deletes. `TTL_ONLY` applies the versions' TTLs alone. A deletion never goes beyond what the dry run answers.
 */
import { NotFoundError } from "@stepwise/protocol";
import {
  planRetention,
  type RetentionPlan,
  type RetentionPolicy,
  type TTL_ONLY,
} from "./domain/artifact-retention.js";
import type { Store } from "./store/store.js";

export interface CollectionRef {
  entity: string;
  project: string;
  name: string;
}

export interface RetentionResult {
  /** Versions deleted (or, in a dry run, that would be), newest first. */
  deleted: string[];
  /** How many versions are kept. */
  kept: number;
  /** Each kept version with every reason that keeps it. */
  keptBecause: RetentionPlan["kept"];
  /** Bytes only the deleted versions hold, each blob once: what garbage collection frees. */
  bytesFreed: number;
  dryRun: boolean;
}

export async function applyRetention(
  store: Store,
  collection: CollectionRef,
  policy: RetentionPolicy | typeof TTL_ONLY,
  options: { dryRun: boolean; now: number },
): Promise<RetentionResult> {
  const { entity, project, name } = collection;
  const versions = await store.artifacts.listVersions(entity, project, name);
  if (versions.length === 0)
    throw new NotFoundError(`no artifact collection ${entity}/${project}/${name} with versions`);
  const registry = store.registry;
  const retained = await Promise.all(
    versions.map(async (version) => ({
      version: version.version,
      aliases: version.aliases,
      createdAt: version.createdAt,
      ttlS: version.ttlS,
      registryLinks:
        registry === undefined
          ? []
          : (await registry.linksOf({ entity, project, name, alias: version.version })).map(
              (link) => `${link.registry}/${link.collection}:${link.version}`,
            ),
    })),
  );
  const plan = planRetention(retained, policy, options.now);
  // Counted while the planned versions are live (the store counts live versions' blobs only); a
  // version linked or deleted by someone else meanwhile makes it an upper bound.
  const bytesFreed = await store.artifacts.bytesFreedBy(entity, project, name, plan.deleted);
  let deleted = plan.deleted;
  if (!options.dryRun) {
    deleted = [];
    for (const version of plan.deleted) {
      const ref = { entity, project, name, alias: version };
      // Linked since the plan was made: kept (the window left is this check to the delete).
      if (registry !== undefined && (await registry.linksOf(ref)).length > 0) continue;
      // A version deleted meanwhile (by hand, by another pass) is gone already: not an error.
      const gone = await store.artifacts.deleteVersion(ref, options.now).then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
      if (gone) deleted.push(version);
    }
  }
  return {
    deleted,
    kept: versions.length - deleted.length,
    keptBecause: plan.kept,
    bytesFreed,
    dryRun: options.dryRun,
  };
}
