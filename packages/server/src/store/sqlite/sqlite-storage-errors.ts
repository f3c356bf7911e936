/**
 * Turns SQLite's full-disk failures into StorageFullError for every Store method. A failed write
 * leaves nothing behind: better-sqlite3 rolls the transaction back, and the caller (the batch
 * applier) drops what it cached for it. Wrapping the finished store, rather than each method,
 * keeps every method covered, the ones added later included.
 */
import { dirname } from "node:path";
import type { StorageFullError } from "@stepwise/protocol";
import { errorCode, isNearlyFull, storageFullError } from "../../storage/storage-full.js";

/** StorageFullError for SQLITE_FULL, or for an I/O error on a disk with no space left; else null. */
export function sqliteStorageFull(error: unknown, databasePath: string): StorageFullError | null {
  const code = errorCode(error);
  if (code === null || !code.startsWith("SQLITE_")) return null;
  const full =
    code === "SQLITE_FULL" || (code.startsWith("SQLITE_IOERR") && isNearlyFull(dirname(databasePath)));
  return full ? storageFullError("the database", databasePath, code) : null;
}

/** `store` with each promise it returns rejected by StorageFullError where SQLite ran out of disk. */
export function withStorageErrors<T extends object>(store: T, databasePath: string): T {
  const translate = (error: unknown): never => {
    throw sqliteStorageFull(error, databasePath) ?? error;
  };
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = Reflect.apply(value, target, args);
        return result instanceof Promise ? result.catch(translate) : result;
      };
    },
  });
}
