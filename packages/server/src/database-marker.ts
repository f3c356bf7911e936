/**
 * `database.json` in a data directory: the PostgreSQL database whose runs' files live there,
 * `{ "store": "postgresql", "database": <URL without password>, "migratedAt"?: <ISO time> }`.
 * A server on `--database` writes it at each start; `stepwise migrate` writes it at the end of a
 * verified copy whose target keeps its run files in that directory (migrate/migrate-data-dir.ts),
 * with `migratedAt`, which a server on the same database keeps. Without `--database`, a start,
 * `--gc` or `--check` on a marked directory refuses (data-dir.ts): its SQLite file, if any, is
 * not where its runs are.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

export const DATABASE_MARKER_FILE = "database.json";

export interface DatabaseMarker {
  /** The database's URL without its password (a placeholder in parentheses when unreadable). */
  database: string;
  /** When `stepwise migrate` copied the directory's SQLite runs into it; absent otherwise. */
  migratedAt?: string;
}

/** The marker of `dataDir`, or null when there is none. */
export function readDatabaseMarker(dataDir: string): DatabaseMarker | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, DATABASE_MARKER_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as { database?: unknown; migratedAt?: unknown };
    return {
      database: typeof parsed.database === "string" ? parsed.database : "(unnamed)",
      ...(typeof parsed.migratedAt === "string" ? { migratedAt: parsed.migratedAt } : {}),
    };
  } catch {
    return { database: "(unreadable marker)" };
  }
}

/**
 * Names `postgresUrl` (without its password) in `dataDir`'s marker, mode 0600. `migratedAt`
 * is recorded when given, and otherwise kept from a marker naming the same database.
 * Resolves to the marker's path.
 */
export async function writeDatabaseMarker(
  dataDir: string,
  postgresUrl: string,
  migratedAt?: Date,
): Promise<string> {
  const database = withoutPassword(postgresUrl);
  const before = readDatabaseMarker(dataDir);
  const migrated =
    migratedAt?.toISOString() ?? (before?.database === database ? before.migratedAt : undefined);
  const path = join(dataDir, DATABASE_MARKER_FILE);
  const marker = {
    store: "postgresql",
    database,
    ...(migrated === undefined ? {} : { migratedAt: migrated }),
  };
  await writeFile(path, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
  return path;
}

/** `url` without its password, as the marker names it. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(a PostgreSQL URL that does not parse)";
  }
}

/**
 * Why a SQLite server started on `dataDir` no longer owns the directory's files, or null while
 * it does: a marker appeared since its start (`stepwise migrate` marked the directory for the
 * PostgreSQL database its runs were copied to, whose servers now write files there). An
 * unreadable marker counts as one. (Servers on PostgreSQL rewrite the marker at each start.)
 */
export function markedSinceStart(dataDir: string): string | null {
  let marker: DatabaseMarker | null;
  try {
    marker = readDatabaseMarker(dataDir);
  } catch (error) {
    return `${join(dataDir, DATABASE_MARKER_FILE)} cannot be read (${(error as Error).message})`;
  }
  if (marker === null) return null;
  const since = marker.migratedAt === undefined ? "" : ` (its runs copied there at ${marker.migratedAt})`;
  return (
    `${dataDir} now keeps the files of the PostgreSQL database ${marker.database}${since}, which ` +
    "this SQLite server does not know: stop it, and serve the directory with --database"
  );
}
