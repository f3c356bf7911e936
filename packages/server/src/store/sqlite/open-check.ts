/**
 * What opening the store checks before anything is served: SQLite's `quick_check` (every page
 * of the file read and its b-tree structure checked, without cross-checking indexes: ~1 s per
 * GiB here) and that the file is a database at all. A damaged or unreadable file stops the
 * start with a StoreCorruptError naming the file and the fix, not a stack trace. The schema
 * version is checked by `migrate` (a newer database is refused).
 */
import type Database from "better-sqlite3";
import { StoreCorruptError, UsageError } from "@stepwise/protocol";
import { isSqliteCorruption, repairAdvice } from "./store-corruption.js";

/** Problems `quick_check` lists at most; the message shows the first few. */
const MAX_PROBLEMS = 20;
const SHOWN_PROBLEMS = 3;

/** Throws StoreCorruptError when SQLite's quick check finds the file damaged. */
export function quickCheck(db: Database.Database, path: string): void {
  const rows = db.pragma(`quick_check(${MAX_PROBLEMS})`) as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== "ok");
  if (problems.length === 0) return;
  const shown = problems.slice(0, SHOWN_PROBLEMS).join("; ");
  const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : "";
  throw new StoreCorruptError(
    `the database file ${path} is damaged (SQLite's quick check: ${shown}${more}), so the server did ` +
      `not start; ${repairAdvice(path)}`,
    { item: "database", database: path },
  );
}

/**
 * An error met while opening `path`, as the error the operator should see: damage and foreign
 * files as StoreCorruptError, a file that cannot be opened as UsageError; others unchanged.
 */
export function openFailure(error: unknown, path: string): unknown {
  if (error instanceof StoreCorruptError) return error;
  if (isSqliteCorruption(error)) {
    return new StoreCorruptError(
      `the database file ${path} is damaged or is not a Stepwise database (SQLite: ${error.message}), ` +
        `so the server did not start; ${repairAdvice(path)}, or point --data at another directory`,
      { item: "database", database: path },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_PERM" || code === "SQLITE_READONLY") {
    return new UsageError(
      `cannot open the database file ${path} (SQLite: ${(error as Error).message}); check that it and ` +
        "its directory exist and are readable and writable by this user, or point --data elsewhere",
    );
  }
  return error;
}
