/**
 * Opens the PostgreSQL store at `url` (postgres://user:password@host:port/database): a
 * connection pool, the schema migrated to this code's version (pg-schema.ts), runs stored before
 * the media index indexed (pg-media-rebuild.ts), the instance id read. The database must exist;
 * Stepwise creates its tables in it.
 */
import { StoreCorruptError } from "@stepwise/protocol";
import { DEFAULT_POOL_SIZE, openPool, safeUrl } from "./pg-database.js";
import { rebuildRichValues } from "./pg-media-rebuild.js";
import { migrate } from "./pg-schema.js";
import { PostgresStore } from "./postgres-store.js";

export interface PostgresStoreOptions {
  /** Connections in the pool. Default DEFAULT_POOL_SIZE (10). */
  poolSize?: number;
  /** Files one run may hold. Default LIMITS.runFiles (lower in tests). */
  maxRunFiles?: number;
}

export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const where = safeUrl(url);
  const pool = openPool(url, options.poolSize ?? DEFAULT_POOL_SIZE);
  // An idle connection that dies (the database restarted) must not crash the process.
  pool.on("error", () => undefined);
  try {
    await migrate(pool, where);
    // Runs stored before the media index existed (schema 5) are indexed once, here.
    await rebuildRichValues(pool);
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM server_instance WHERE one = 1");
    const id = rows[0]?.id;
    if (id === undefined)
      throw new StoreCorruptError(
        `the PostgreSQL database ${where} has lost its instance id (server_instance is empty)`,
        {
          item: "database",
          database: where,
        },
      );
    return new PostgresStore(pool, id, where, options.maxRunFiles);
  } catch (error) {
    await pool.end();
    throw error;
  }
}
