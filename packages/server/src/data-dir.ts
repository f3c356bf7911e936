/**
 * The data directory holds every run and the API keys' hashes (and the admin key itself), so only
 * the user running the server may read it: the directory is 0700, the database files and the
 * admin key 0600. A fresh database file is created 0600 before SQLite opens it, so that the WAL
 * and shared-memory files SQLite creates beside it take the same mode. Looser modes found at
 * start are tightened, each with a log line; a mode that cannot be tightened stops the server.
 *
 * A server on PostgreSQL (`--database`) creates no SQLite file here: it writes `database.json`
 * naming its database (the URL without password) instead (database-marker.ts), as does
 * `stepwise migrate` once it has copied the directory's SQLite runs into a PostgreSQL database
 * that keeps using the files here. A one-shot `--gc` or `--check` without `--database` on such
 * a directory would otherwise read an empty (or, after a migrate, outdated) SQLite store and
 * free the run files only the PostgreSQL runs reference; it refuses, as does a plain start,
 * which would begin an SQLite store beside the files of the PostgreSQL runs.
 */
import { constants, existsSync, readdirSync, statSync, type Stats } from "node:fs";
import { chmod, mkdir, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { NotFoundError, UsageError } from "@stepwise/protocol";
import { ADMIN_KEY_FILE } from "./auth/admin-key.js";
import {
  DATABASE_MARKER_FILE,
  readDatabaseMarker,
  writeDatabaseMarker,
  type DatabaseMarker,
} from "./database-marker.js";

export const DATABASE_FILE = "stepwise.db";
/** The folder of the run files' blobs and uploads (the local blob store, blob/local-blob-store.ts). */
export const FILES_DIR = "files";
export { DATABASE_MARKER_FILE } from "./database-marker.js";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** SQLite's companions of the database file in WAL mode. */
const DATABASE_COMPANIONS = ["-wal", "-shm", "-journal"];

/**
 * Creates or tightens the data directory and its sensitive files. With `postgresUrl` (the
 * server's `--database`) it creates no SQLite file and records the database in
 * `database.json`; without, it refuses a directory that names PostgreSQL there (see the file's
 * header). Resolves to the SQLite database path (not created on PostgreSQL).
 */
export async function secureDataDir(
  dataDir: string,
  log: (line: string) => void,
  postgresUrl?: string,
): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  const database = join(dataDir, DATABASE_FILE);
  if (postgresUrl === undefined) {
    const marker = readDatabaseMarker(dataDir);
    if (marker !== null)
      throw new UsageError(
        `${join(dataDir, DATABASE_MARKER_FILE)} says the runs of ${dataDir} are in PostgreSQL (${marker.database}${migrated(marker)}): ` +
          "start with --database postgres://… (or STEPWISE_DATABASE_URL); " +
          (existsSync(database) && statSync(database).size > 0
            ? `${database} holds the runs as they were when copied, without what was logged since: to go back to it anyway, delete ${DATABASE_MARKER_FILE} first`
            : `to start a new SQLite store there instead, delete ${DATABASE_MARKER_FILE} first`),
      );
  } else await writeDatabaseMarker(dataDir, postgresUrl);
  if (process.platform === "win32") return database; // POSIX modes mean nothing there
  await tighten(dataDir, DIR_MODE, log);
  if (postgresUrl === undefined) await createPrivately(database);
  for (const path of [
    database,
    ...DATABASE_COMPANIONS.map((s) => database + s),
    join(dataDir, ADMIN_KEY_FILE),
  ])
    await tighten(path, FILE_MODE, log);
  return database;
}

/**
 * The SQLite database of `dataDir` for a one-shot `--gc` or `--check` without `--database`.
 * Refuses (a usage error, exit 2) a directory whose `database.json` names PostgreSQL, or that
 * has no SQLite data (none, or the empty file an older server on PostgreSQL left) but holds run
 * files: collecting against no runs would free every one of them.
 */
export function sqliteDatabaseOf(dataDir: string, action: "--gc" | "--check"): string {
  const database = join(dataDir, DATABASE_FILE);
  const marker = readDatabaseMarker(dataDir);
  const empty = !existsSync(database) || statSync(database).size === 0;
  if (marker !== null || (empty && holdsFiles(dataDir)))
    throw new UsageError(
      `${dataDir} ${marker === null ? "holds run files but no SQLite database" : `belongs to the PostgreSQL database ${marker.database} (${DATABASE_MARKER_FILE}${migrated(marker)})`}: ` +
        `run ${action} with --database postgres://… (or STEPWISE_DATABASE_URL), the database the server uses; ` +
        "without it, nothing is collected or checked",
    );
  if (!existsSync(database))
    throw new NotFoundError(`no Stepwise database at ${database}; check the --data directory`);
  return database;
}

/** `, copied there by stepwise migrate at <time>` for a marker a migrate wrote. */
function migrated(marker: DatabaseMarker): string {
  return marker.migratedAt === undefined ? "" : `, copied there by stepwise migrate at ${marker.migratedAt}`;
}

/** True when the local file store under `dataDir` holds any blob or file of the old layout. */
function holdsFiles(dataDir: string): boolean {
  const files = join(dataDir, FILES_DIR);
  for (const sub of [join("blobs", "sha256"), "runs"])
    try {
      if (readdirSync(join(files, sub)).length > 0) return true;
    } catch {
      // Absent: nothing stored that way.
    }
  return false;
}

async function tighten(path: string, mode: number, log: (line: string) => void): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const current = info.mode & 0o777;
  if ((current & ~mode) === 0) return;
  try {
    await chmod(path, current & mode);
  } catch (error) {
    throw new UsageError(
      `${path} has mode ${octal(current)}, readable by other users, and cannot be made ${octal(current & mode)} ` +
        `(${(error as Error).message}); run 'chmod ${octal(current & mode)} ${path}' as its owner, or use another --data directory`,
    );
  }
  log(
    `Tightened the permissions of ${path} from ${octal(current)} to ${octal(current & mode)}: ` +
      "it holds run data or keys, so only this user may read it",
  );
}

/** Creates the empty database file with mode 0600 unless it exists (an empty file is an empty database). */
async function createPrivately(path: string): Promise<void> {
  try {
    const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, FILE_MODE);
    await handle.close();
  } catch {
    // It exists, or cannot be made: SQLite then opens it, or reports why not (a full disk, a
    // read-only directory) in its own words.
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
