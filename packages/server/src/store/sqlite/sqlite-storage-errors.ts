/**
 * The errors a store method reports for SQLite's own failures: a full disk (SQLITE_FULL, or an
 * I/O error on a disk with no space left) as StorageFullError (HTTP 503), damage as
 * StoreCorruptError (store-corruption.ts); others unchanged. A failed write leaves nothing
 * behind: better-sqlite3 rolls the transaction back, and the caller (the batch applier) drops
 * what it cached for it.
 */
import { dirname } from "node:path";
import type { RunRef, StorageFullError } from "@stepwise/protocol";
import { errorCode, isNearlyFull, storageFullError } from "../../storage/storage-full.js";
import { asStoreCorruption } from "./store-corruption.js";

/** StorageFullError for SQLITE_FULL, or for an I/O error on a disk with no space left; else null. */
export function sqliteStorageFull(error: unknown, databasePath: string): StorageFullError | null {
  const code = errorCode(error);
  if (code === null || !code.startsWith("SQLITE_")) return null;
  const full =
    code === "SQLITE_FULL" || (code.startsWith("SQLITE_IOERR") && isNearlyFull(dirname(databasePath)));
  return full ? storageFullError("the database", databasePath, code) : null;
}

/** `error` as the store reports it: StorageFullError, else StoreCorruptError naming `ref`, else itself. */
export function asStoreError(error: unknown, databasePath: string, ref: RunRef | null): unknown {
  return sqliteStorageFull(error, databasePath) ?? asStoreCorruption(error, databasePath, ref);
}
