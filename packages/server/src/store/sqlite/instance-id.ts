/**
 * The store's instance id: a random id generated the first time a store is opened and kept in
 * its database, so it travels with the data (a backup restored elsewhere is the same server to
 * a client) and a new data directory is a new server. Clients key their sync state by it
 * (`stepwise sync` uploads to each server what that server lacks). Kept in its own one-row
 * table, created when missing, so that it needs no schema migration.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";

export function readOrCreateInstanceId(db: Database.Database): string {
  db.exec(
    "CREATE TABLE IF NOT EXISTS server_instance (one INTEGER PRIMARY KEY CHECK (one = 1), id TEXT NOT NULL, created_at REAL NOT NULL)",
  );
  db.prepare("INSERT OR IGNORE INTO server_instance (one, id, created_at) VALUES (1, ?, ?)").run(
    randomUUID(),
    Date.now() / 1000,
  );
  const row = db.prepare("SELECT id FROM server_instance WHERE one = 1").get() as { id: string };
  return row.id;
}
