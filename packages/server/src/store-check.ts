/**
 * `checkStore(dataDir)`: the full check behind `stepwise server --check`. It reads everything
 * and changes nothing, so it may run beside serving servers: the database's own check (SQLite:
 * its integrity check and every stored block's checksum, store/sqlite/check-sqlite-store.ts;
 * PostgreSQL with `database`: every history row, series chunk and rollup block,
 * store/postgres/pg-check.ts), then every run file the database records, which must exist in
 * the file store (local files, or S3 with `blobs`) with the recorded size and sha256 (as the
 * blob of that sha256), read as a stream; stored tables and thumbnails whose blob is gone are
 * reported, not counted as damage. Each damaged item comes back with its run, what it is, where, and the problem.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BlobStore } from "./blob/blob-store.js";
import { listDerivedFiles } from "./blob/derived-files.js";
import { LocalBlobStore } from "./blob/local-blob-store.js";
import { LEGACY_RUNS_DIR } from "./blob/legacy-file-layout.js";
import type { S3Settings } from "./blob/s3-location.js";
import { UrlSigner } from "./blob/url-signer.js";
import { FILES_DIR, sqliteDatabaseOf } from "./data-dir.js";
import type { DamagedItem, DatabaseCheckResult } from "./store/database-check.js";
import { checkSqliteStore } from "./store/sqlite/check-sqlite-store.js";
import { runPath } from "./store/sqlite/store-corruption.js";

export type { DamagedItem } from "./store/database-check.js";

export interface StoreCheckReport {
  dataDir: string;
  /** Which database was checked. */
  store: "sqlite" | "postgresql";
  /** The SQLite file, or the PostgreSQL URL without its password. */
  database: string;
  /** True when nothing is damaged. */
  ok: boolean;
  /** The database's schema version; null when it could not be read. */
  schemaVersion: number | null;
  checked: {
    runs: number;
    /** SQLite's history blocks; 0 on PostgreSQL, which keeps a row per history row. */
    historyBlocks: number;
    historyRows: number;
    seriesChunks: number;
    seriesRollups: number;
    files: number;
  };
  damaged: DamagedItem[];
  /**
   * Stored tables and thumbnails whose blob is gone (left by a collection from before they were
   * removed with it): not damage, never served, safe to delete.
   */
  strayDerivedFiles: string[];
  /** Not damage, but worth knowing (e.g. a schema from before checksums: start the server once). */
  notes: string[];
}

export interface StoreCheckOptions {
  /** Read every run file and compare its sha256, not only its size. Default true. */
  hashFiles?: boolean;
  /** The PostgreSQL store to check (postgres://…, ServerConfig.database); default SQLite under dataDir. */
  database?: string;
  /** The S3 file store the run files are in (ServerConfig.blobs); default <dataDir>/files. */
  blobs?: S3Settings;
}

/** Verifies everything stored under `dataDir` (or in `options.database`) and reports what is damaged. */
export async function checkStore(
  dataDir: string,
  options: StoreCheckOptions = {},
): Promise<StoreCheckReport> {
  const { database, db } = await checkDatabase(dataDir, options.database);
  // Only `get` and `head` are used: the signer makes no URLs here (and writes no key file).
  const signer = new UrlSigner(randomBytes(32));
  const blobs =
    options.blobs === undefined
      ? new LocalBlobStore(join(dataDir, FILES_DIR), signer)
      : await (await import("./blob/s3-blob-store.js")).S3BlobStore.open(options.blobs, signer);
  try {
    const damaged = [...db.damaged];
    const notes = [...db.notes];
    if (options.blobs === undefined && existsSync(join(dataDir, FILES_DIR, LEGACY_RUNS_DIR)))
      notes.push(
        `${join(dataDir, FILES_DIR, LEGACY_RUNS_DIR)} holds run files in the layout from before content-addressed blobs: start the server once to move them, then check again`,
      );
    for (const file of db.files) {
      const ref = { entity: file.entity, project: file.project, runId: file.runId };
      const problem = await fileProblem(blobs, file.sha256, file, options.hashFiles !== false);
      if (problem !== null) damaged.push({ run: runPath(ref), item: "file", where: file.path, problem });
    }
    const strayDerivedFiles: string[] = [];
    for await (const derived of listDerivedFiles(dataDir))
      if ((await blobs.head(derived.sha256)) === null) strayDerivedFiles.push(derived.path);
    if (strayDerivedFiles.length > 0)
      notes.push(
        `${strayDerivedFiles.length} stored table or thumbnail whose file is gone (derived data, never served): ` +
          `safe to delete — ${strayDerivedFiles.slice(0, 5).join(", ")}${strayDerivedFiles.length > 5 ? ", …" : ""}`,
      );
    return {
      dataDir,
      store: options.database === undefined ? "sqlite" : "postgresql",
      database,
      ok: damaged.length === 0,
      schemaVersion: db.schemaVersion,
      checked: {
        runs: db.runs,
        historyBlocks: db.historyBlocks,
        historyRows: db.historyRows,
        seriesChunks: db.seriesChunks,
        seriesRollups: db.seriesRollups,
        files: db.files.length,
      },
      damaged,
      strayDerivedFiles,
      notes,
    };
  } finally {
    await blobs.close();
  }
}

/** The database's own check: SQLite under `dataDir`, or PostgreSQL at `url`. */
async function checkDatabase(
  dataDir: string,
  url: string | undefined,
): Promise<{ database: string; db: DatabaseCheckResult }> {
  if (url !== undefined) {
    const { checkPostgresStore } = await import("./store/postgres/pg-check.js");
    const { safeUrl } = await import("./store/postgres/pg-database.js");
    return { database: safeUrl(url), db: await checkPostgresStore(url) };
  }
  const database = sqliteDatabaseOf(dataDir, "--check");
  return { database, db: checkSqliteStore(database) };
}

/** What is wrong with a stored run file, or null when it is as recorded. */
async function fileProblem(
  blobs: BlobStore,
  sha256: string,
  recorded: { size: number; sha256: string },
  hash: boolean,
): Promise<string | null> {
  let stream;
  try {
    stream = await blobs.get(sha256);
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (stream === null) return "missing from the file store";
  const digest = createHash("sha256");
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (hash) digest.update(chunk);
    }
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (size !== recorded.size) return `size ${size} bytes, recorded ${recorded.size}`;
  if (hash && digest.digest("hex") !== recorded.sha256) return "content differs from the recorded sha256";
  return null;
}

/** The report as lines for a terminal: one per damaged item, then a verdict. */
export function formatStoreCheck(report: StoreCheckReport): string[] {
  const c = report.checked;
  const history =
    report.store === "sqlite" ? `${c.historyBlocks} history blocks` : `${c.historyRows} history rows`;
  const lines = [
    `Checked ${report.database}: ${c.runs} runs, ${history}, ` +
      `${c.seriesChunks} series chunks, ${c.seriesRollups} rollup blocks, ${c.files} files.`,
  ];
  for (const note of report.notes) lines.push(`note: ${note}`);
  for (const d of report.damaged)
    lines.push(`DAMAGED ${d.run === null ? "" : `run ${d.run}: `}${d.item} (${d.where}): ${d.problem}`);
  lines.push(
    report.ok ? "No damage found." : `${report.damaged.length} damaged item(s). ${restoreAdvice(report)}`,
  );
  return lines;
}

function restoreAdvice(report: StoreCheckReport): string {
  if (report.store === "sqlite")
    return (
      `Restore ${report.database} (and the files/ folder, for damaged files) from a backup with the ` +
      "server stopped; damaged items are never served, so runs not listed here read correctly meanwhile."
    );
  return (
    "Restore the damaged runs from a backup of the PostgreSQL database (and damaged files from a " +
    "backup of the file store, docs/deploy.md); runs not listed here are intact."
  );
}
