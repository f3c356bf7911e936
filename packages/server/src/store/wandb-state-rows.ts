/** The W&B pending-artifact row as both stores keep it (store/wandb-state-store.ts). */
import type { VersionRef } from "./artifact-store.js";
import type { WandbPendingArtifact, WandbPendingSpec } from "./wandb-state-store.js";

export interface PendingRow {
  id: string;
  spec: string;
  created_at: number;
  manifest: string | null;
  committed: string | null;
}

/** What `createArtifact` asked for, as JSON (JSON escapes U+0000, which PostgreSQL text cannot hold). */
export function specText(artifact: WandbPendingSpec): string {
  const { entity, project, name, type, digest, description, metadata, aliases, run } = artifact;
  return JSON.stringify({ entity, project, name, type, digest, description, metadata, aliases, run });
}

export function pendingOfRow(row: PendingRow): WandbPendingArtifact {
  return {
    ...(JSON.parse(row.spec) as WandbPendingSpec),
    id: row.id,
    createdAt: Number(row.created_at),
    manifest: row.manifest,
    committed: row.committed === null ? null : (JSON.parse(row.committed) as VersionRef),
  };
}
