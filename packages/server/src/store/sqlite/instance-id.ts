/**
 * The store's instance id: a random id made when the store is first opened (schema migration 6)
 * and kept in its database, so it travels with the data (a backup restored elsewhere is the same
 * server to a client) and a new data directory is a new server. Clients key their sync state by
 * it (`stepwise sync` uploads to each server what that server lacks).
 */
import type Database from "better-sqlite3";
import { StoreCorruptError } from "@stepwise/protocol";
import { repairAdvice } from "./store-corruption.js";

/** The instance id of a migrated store. */
export function readInstanceId(db: Database.Database): string {
  const row = db.prepare("SELECT id FROM server_instance WHERE one = 1").get() as { id: string } | undefined;
  if (row === undefined)
    throw new StoreCorruptError(
      `the database file ${db.name} has lost its instance id (server_instance is empty), so the ` +
        `server did not start; ${repairAdvice(db.name)}`,
      { item: "database", database: db.name },
    );
  return row.id;
}
