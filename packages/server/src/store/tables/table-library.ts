/**
 * The stored tables of a server: each logged table file converted once into its own SQLite file
 * under `<data dir>/tables/<sha256[0:2]>/<sha256>.v1.sqlite` (by content, so a table logged by
 * many runs is stored once), opened read-only and kept open for the next page (a few at once).
 * A table is converted at its first query, from the run file its `table-file` history value
 * names — whichever of the two arrived first. A file that is not a table leaves
 * `<sha256>.v1.invalid` holding the reason, so it is not read again at every query. A table is
 * built under a temporary name and renamed when whole, so a crash never leaves a half table.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import Database from "better-sqlite3";
import { StorageFullError, type TableColumn } from "@stepwise/protocol";
import type { BlobStore } from "../../blob/blob-store.js";
import { TableFileError } from "../../domain/tables/table-json-reader.js";
import { errorCode, isFullDiskErrno, isNearlyFull } from "../../storage/storage-full.js";
import { convertTableFile } from "./table-conversion.js";
import { TableReadPool } from "./table-read-pool.js";
import { TableReader } from "./table-reader.js";
import type { StoredTableRef } from "./table-reads.js";

const OPEN_TABLES = 8;

/** SQLite's answer to a damaged file. */
export function isDamage(error: unknown): boolean {
  const code = errorCode(error) ?? "";
  return code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB";
}

/** A stored table in an older layout: stored again from the table file. */
class StaleTableError extends Error {}

export type TableState = { kind: "ready"; reader: TableReader } | { kind: "invalid"; problem: string };

export class TableLibrary {
  private readonly open = new Map<string, TableReader>();
  private readonly converting = new Map<string, Promise<TableState>>();
  /** Aborted by close(): stops tables being stored. */
  private readonly closing = new AbortController();
  /** Where pages, groups and exports are read: worker threads (table-read-pool.ts). */
  readonly reads = new TableReadPool();
  /** Tables stored ahead of their first query, one at a time (prepare). */
  private background: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly blobs: BlobStore,
  ) {}

  /** The stored table of a blob, converting it first if needed; null when the blob is not stored. */
  async table(sha256: string): Promise<TableState | null> {
    const reader = this.open.get(sha256);
    if (reader !== undefined) {
      this.open.delete(sha256);
      this.open.set(sha256, reader);
      return { kind: "ready", reader };
    }
    const known = await this.stored(sha256);
    if (known !== null) return known;
    let pending = this.converting.get(sha256);
    if (pending === undefined) {
      const stream = await this.blobs.get(sha256);
      if (stream === null) return null;
      pending = this.convert(sha256, stream).finally(() => this.converting.delete(sha256));
      this.converting.set(sha256, pending);
    }
    return pending;
  }

  /** A stored table's file and meta row, for reads on the read workers. */
  storedRef(sha256: string, reader: TableReader): StoredTableRef {
    return { path: this.tablePath(sha256), columns: reader.columns, rows: reader.rows };
  }

  /**
   * A reader of a stored table on its own connection, for a long read (an export) that must not
   * be closed when other tables push it out of the open ones; the caller closes it.
   */
  detached(sha256: string): TableReader {
    return this.reader(sha256);
  }

  /**
   * Stores a table ahead of its first query, after the ones already asked for, one at a time;
   * a failure is left for the query to report.
   */
  prepare(sha256: string): void {
    if (this.closing.signal.aborted || this.open.has(sha256) || this.converting.has(sha256)) return;
    this.background = this.background.then(() =>
      this.table(sha256).then(
        () => undefined,
        () => undefined,
      ),
    );
  }

  /** Whether a blob's table is known to be invalid, and why (no conversion). */
  async problem(sha256: string): Promise<string | null> {
    return existsSync(this.invalidPath(sha256)) ? readFile(this.invalidPath(sha256), "utf8") : null;
  }

  /** Stops storing tables and closes the open ones (after the server stopped taking requests). */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.converting.values(), this.background]);
    for (const reader of this.open.values()) reader.close();
    this.open.clear();
    await this.reads.close();
  }

  /** Closes and deletes a stored table found damaged: the next query stores it again. */
  async discard(sha256: string): Promise<void> {
    this.open.get(sha256)?.close();
    this.open.delete(sha256);
    await this.reads.forget(this.tablePath(sha256));
    await rm(this.tablePath(sha256), { force: true });
  }

  private async stored(sha256: string): Promise<TableState | null> {
    const problem = await this.problem(sha256);
    if (problem !== null) return { kind: "invalid", problem };
    if (!existsSync(this.tablePath(sha256))) return null;
    try {
      return { kind: "ready", reader: this.openReader(sha256) };
    } catch (error) {
      // A damaged stored table is derived data: it is stored again from the table file.
      // One stored before NaN cells were kept likewise.
      if (!isDamage(error) && !(error instanceof StaleTableError)) throw error;
      await this.discard(sha256);
      return null;
    }
  }

  private async convert(sha256: string, stream: Readable): Promise<TableState> {
    const folder = join(this.dir, sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    // A server killed while storing this table left its temporary file: it is never finished.
    for (const name of await readdir(folder))
      if (name.startsWith(`${sha256}.v1.sqlite.tmp-`)) await rm(join(folder, name), { force: true });
    const temp = `${this.tablePath(sha256)}.tmp-${randomUUID()}`;
    try {
      await convertTableFile(stream, temp, this.closing.signal);
      await rename(temp, this.tablePath(sha256));
      return { kind: "ready", reader: this.openReader(sha256) };
    } catch (error) {
      await rm(temp, { force: true });
      if (!(error instanceof TableFileError)) {
        if (isFullDiskErrno(error) || errorCode(error) === "SQLITE_FULL" || isNearlyFull(this.dir))
          throw new StorageFullError(
            `the disk holding ${this.dir} is full: table ${sha256} could not be stored; free space and ask again`,
          );
        throw error;
      }
      await writeFile(this.invalidPath(sha256), error.message);
      return { kind: "invalid", problem: error.message };
    }
  }

  private openReader(sha256: string): TableReader {
    if (this.closing.signal.aborted) throw new Error("the table library is closed");
    const reader = this.reader(sha256);
    this.open.set(sha256, reader);
    if (this.open.size > OPEN_TABLES) {
      const [oldest, old] = this.open.entries().next().value as [string, TableReader];
      this.open.delete(oldest);
      old.close();
    }
    return reader;
  }

  private reader(sha256: string): TableReader {
    const db = new Database(this.tablePath(sha256), { readonly: true, fileMustExist: true });
    const meta = db.prepare<[], { columns: string; rows: number }>("SELECT columns, rows FROM meta").get();
    if (meta === undefined) {
      db.close();
      throw new Error(`stored table ${this.tablePath(sha256)} has no meta row`);
    }
    if (!TableReader.isCurrent(db)) {
      db.close();
      throw new StaleTableError(`stored table ${this.tablePath(sha256)} is from before NaN cells were kept`);
    }
    return new TableReader(db, JSON.parse(meta.columns) as TableColumn[], meta.rows);
  }

  private tablePath(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), `${sha256}.v1.sqlite`);
  }

  private invalidPath(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), `${sha256}.v1.invalid`);
  }
}
