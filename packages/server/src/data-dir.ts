/**
 * The data directory holds every run and the API keys' hashes (and the admin key itself), so only
 * the user running the server may read it: the directory is 0700, the database files and the
 * admin key 0600. A fresh database file is created 0600 before SQLite opens it, so that the WAL
 * and shared-memory files SQLite creates beside it take the same mode. Looser modes found at
 * start are tightened, each with a log line; a mode that cannot be tightened stops the server.
 */
import { constants, type Stats } from "node:fs";
import { chmod, mkdir, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";
import { ADMIN_KEY_FILE } from "./auth/admin-key.js";

export const DATABASE_FILE = "stepwise.db";
/** The folder of the run files' blobs and uploads (the local blob store, blob/local-blob-store.ts). */
export const FILES_DIR = "files";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** SQLite's companions of the database file in WAL mode. */
const DATABASE_COMPANIONS = ["-wal", "-shm", "-journal"];

/** Creates or tightens the data directory and its sensitive files; resolves to the database path. */
export async function secureDataDir(dataDir: string, log: (line: string) => void): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  const database = join(dataDir, DATABASE_FILE);
  if (process.platform === "win32") return database; // POSIX modes mean nothing there
  await tighten(dataDir, DIR_MODE, log);
  await createPrivately(database);
  for (const path of [
    database,
    ...DATABASE_COMPANIONS.map((s) => database + s),
    join(dataDir, ADMIN_KEY_FILE),
  ])
    await tighten(path, FILE_MODE, log);
  return database;
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
