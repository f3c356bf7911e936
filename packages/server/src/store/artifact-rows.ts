/**
 * Rows of the artifact tables as the store's DTOs, the same for every backend: the SQLite and
 * PostgreSQL stores select these columns under these names (sqlite/artifact-dto.ts,
 * postgres/pg-artifact-rows.ts) and map them here, so a version reads alike from both; a new
 * version's row and its entries are written from the same columns (versionValues, entryColumns).
 */
import {
  isReferenceEntry,
  parseExtended,
  stringifyExtended,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { versionName } from "../domain/artifact-aliases.js";
import type { CommitVersionInput } from "./artifact-store.js";

export interface VersionRow {
  pk: number;
  collection_pk: number;
  entity: string;
  project: string;
  name: string;
  type: string;
  idx: number;
  digest: string;
  description: string;
  /** Extended JSON (NaN and ±Infinity kept). */
  metadata: string;
  file_count: number;
  size: number;
  producer_entity: string | null;
  producer_project: string | null;
  producer_run_id: string | null;
  created_at: number;
  ttl_s: number | null;
}

/** A manifest entry: a stored file (sha256, size) or a reference (ref, ref_digest, size or null). */
export interface EntryRow {
  path: string;
  sha256: string | null;
  size: number | null;
  ref: string | null;
  ref_digest: string | null;
}

/**
 * A version's DTO; `aliases` with `latest` first where the version holds it; `writers`: the runs
 * that upserted into a distributed version, in the order of their first upsert.
 */
export function versionDto(
  row: VersionRow,
  tags: string[],
  aliases: string[],
  writers: readonly RunRef[],
): ArtifactVersionDto {
  const producer =
    row.producer_run_id === null
      ? null
      : {
          entity: row.producer_entity ?? "",
          project: row.producer_project ?? "",
          runId: row.producer_run_id,
        };
  return {
    entity: row.entity,
    project: row.project,
    name: row.name,
    type: row.type,
    version: versionName(row.idx),
    digest: row.digest,
    description: row.description,
    metadata: parseExtended(row.metadata) as Record<string, unknown>,
    aliases,
    tags,
    fileCount: row.file_count,
    size: row.size,
    producer,
    producers: producersOf(producer, writers),
    createdAt: row.created_at,
    ttlS: row.ttl_s,
  };
}

/** Every run that produced a version, each once: the producer (the finishing run) first, then the writers. */
export function producersOf(producer: RunRef | null, writers: readonly RunRef[]): RunRef[] {
  const seen = new Set<string>();
  const runs: RunRef[] = [];
  for (const run of producer === null ? writers : [producer, ...writers]) {
    const key = JSON.stringify([run.entity, run.project, run.runId]);
    if (seen.has(key)) continue;
    seen.add(key);
    runs.push(run);
  }
  return runs;
}

/** A run as the writer tables store it. */
export interface WriterRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
}

/** Writer rows (read in order) as each version pk's runs. */
export function groupWriters(rows: readonly WriterRow[]): Map<number, RunRef[]> {
  const byPk = new Map<number, RunRef[]>();
  for (const row of rows) {
    const run = { entity: row.entity, project: row.project, runId: row.run_id };
    const list = byPk.get(row.pk);
    if (list === undefined) byPk.set(row.pk, [run]);
    else list.push(run);
  }
  return byPk;
}

export function toEntry(row: EntryRow): ManifestEntry {
  return row.ref !== null
    ? { path: row.path, ref: row.ref, digest: row.ref_digest ?? row.ref, size: row.size }
    : { path: row.path, sha256: row.sha256 ?? "", size: row.size ?? 0 };
}

/** An entry as the columns of an EntryRow (what a backend inserts). */
export function entryColumns(entry: ManifestEntry): Omit<EntryRow, "path"> {
  return isReferenceEntry(entry)
    ? { sha256: null, size: entry.size, ref: entry.ref, ref_digest: entry.digest }
    : { sha256: entry.sha256, size: entry.size, ref: null, ref_digest: null };
}

/** The columns a new version's row is inserted with, in the order of `versionValues`. */
export const VERSION_INSERT_COLUMNS = `collection_pk, idx, digest, description, metadata, file_count, size,
  producer_entity, producer_project, producer_run_id, created_at`;

/** A new version's row (VERSION_INSERT_COLUMNS): version `index` of `collection`, holding `size` bytes. */
export function versionValues(
  collection: number,
  index: number,
  size: number,
  input: CommitVersionInput,
): Array<string | number | null> {
  return [
    collection,
    index,
    input.digest,
    input.description,
    stringifyExtended(input.metadata),
    input.entries.length,
    size,
    input.producer?.entity ?? null,
    input.producer?.project ?? null,
    input.producer?.runId ?? null,
    input.now,
  ];
}

/** `(pk, value)` rows (read in order) as each pk's values. */
export function groupValues(rows: readonly { pk: number; value: string }[]): Map<number, string[]> {
  const byPk = new Map<number, string[]>();
  for (const row of rows) {
    const list = byPk.get(row.pk);
    if (list === undefined) byPk.set(row.pk, [row.value]);
    else list.push(row.value);
  }
  return byPk;
}

/** The DTOs of `rows` in their order, given every row's tags, aliases and writers grouped by pk. */
export function versionDtos(
  rows: readonly VersionRow[],
  tags: Map<number, string[]>,
  aliases: Map<number, string[]>,
  writers: Map<number, RunRef[]>,
): ArtifactVersionDto[] {
  return rows.map((row) =>
    versionDto(row, tags.get(row.pk) ?? [], aliases.get(row.pk) ?? [], writers.get(row.pk) ?? []),
  );
}
