/**
 * How `stepwise migrate` finishes with a data directory's `database.json` (database-marker.ts).
 * When the target keeps its run files in a data directory (the source's, files left in place,
 * or `--to-data`), the new servers run on PostgreSQL with that directory as `--data`: after a
 * copy in which every run checks out, the directory is marked as PostgreSQL's, so that a plain
 * `stepwise server`, `--gc` or `--check` there refuses (data-dir.ts) instead of reopening the
 * source's SQLite file (the runs as they were when copied) and freeing the files of what the new
 * servers log. Before copying, a directory marked for another database than `--to` is refused:
 * its runs are there, and its SQLite file, if any, is not what the servers use.
 */
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";
import {
  DATABASE_MARKER_FILE,
  readDatabaseMarker,
  withoutPassword,
  writeDatabaseMarker,
} from "../database-marker.js";

/** The marker of the data directory whose files the target uses; null when they go to S3. */
export interface MigrateMarker {
  /** `<dir>/database.json`. */
  path: string;
  /** False when a run differs after the copy: nothing written until a copy checks out. */
  written: boolean;
}

export interface MarkedDirs {
  from: string;
  to: string;
  blobs?: string;
  toData?: string;
}

/** The data directory whose run files the target uses after the copy, or null (S3). */
function targetFilesDir(options: MarkedDirs): string | null {
  if (options.toData !== undefined) return options.toData;
  return options.blobs === undefined ? options.from : null;
}

/** Refuses (a usage error) when `--from` or `--to-data` is marked for a database other than `--to`. */
export function refuseOtherDatabase(options: MarkedDirs): void {
  const to = withoutPassword(options.to);
  for (const [option, dir] of [
    ["--from", options.from],
    ["--to-data", options.toData],
  ] as const) {
    if (dir === undefined) continue;
    const marker = readDatabaseMarker(dir);
    if (marker === null || marker.database === to) continue;
    throw new UsageError(
      `${join(dir, DATABASE_MARKER_FILE)} says the runs of ${option} ${dir} are in PostgreSQL ${marker.database}, ` +
        `not in --to ${to}: ` +
        (option === "--from"
          ? "its stepwise.db is not what the servers use; give that database as --to to finish an earlier copy"
          : "its files belong to that database; give another --to-data directory") +
        `, or delete ${DATABASE_MARKER_FILE} first if that database is gone`,
    );
  }
}

/** Marks the target's files directory for `--to` once every run checked out (`verified`). */
export async function markTargetFilesDir(
  options: MarkedDirs,
  verified: boolean,
  now: Date,
): Promise<MigrateMarker | null> {
  const dir = targetFilesDir(options);
  if (dir === null) return null;
  if (!verified) return { path: join(dir, DATABASE_MARKER_FILE), written: false };
  return { path: await writeDatabaseMarker(dir, options.to, now), written: true };
}
