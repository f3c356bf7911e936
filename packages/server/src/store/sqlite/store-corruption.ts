/**
 * Turns the two ways damage shows on read into the one typed error a client sees
 * (StoreCorruptError, STORE_CORRUPT): a row that failed its checksum (DamagedRowError) and
 * SQLite finding the file itself corrupt (SQLITE_CORRUPT*, SQLITE_NOTADB). The message names
 * the run, what is damaged, the database file and the fix. Other errors pass through unchanged.
 */
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StoreCorruptError, type RunRef } from "@stepwise/protocol";
import { DamagedRowError } from "./checksum.js";

/** How a run is named in messages and reports: `entity/project/runId`. */
export function runPath(ref: RunRef): string {
  return `${ref.entity}/${ref.project}/${ref.runId}`;
}

/** What to do about a damaged store, as every message says it. */
export function repairAdvice(database: string): string {
  return (
    `restore ${database} from a backup, or run 'stepwise server --check --data ${dirname(database)}' ` +
    "to list everything that is damaged"
  );
}

/** True for SQLite's own reports of a damaged or foreign file. */
export function isSqliteCorruption(error: unknown): error is InstanceType<typeof Database.SqliteError> {
  return (
    error instanceof Database.SqliteError &&
    (error.code.startsWith("SQLITE_CORRUPT") || error.code === "SQLITE_NOTADB")
  );
}

/** `error` as a StoreCorruptError naming `ref` when it reports damage; otherwise `error` itself. */
export function asStoreCorruption(error: unknown, database: string, ref: RunRef | null): unknown {
  const run = ref === null ? undefined : runPath(ref);
  const ofRun = run === undefined ? "" : `run ${run}: `;
  if (error instanceof DamagedRowError) {
    return new StoreCorruptError(
      `${ofRun}stored ${error.item} (${error.where}) is damaged (${error.problem}) and is not served; ` +
        repairAdvice(database),
      { ...(run === undefined ? {} : { run }), item: error.item, where: error.where, database },
    );
  }
  if (isSqliteCorruption(error)) {
    return new StoreCorruptError(
      `${ofRun}the database file ${database} is damaged (SQLite: ${error.message}); ${repairAdvice(database)}`,
      { ...(run === undefined ? {} : { run }), item: "database", database },
    );
  }
  return error;
}

/** Runs `work`, reporting damage it meets as a StoreCorruptError naming `ref`. */
export function guarded<T>(database: string, ref: RunRef | null, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreCorruption(error, database, ref);
  }
}
