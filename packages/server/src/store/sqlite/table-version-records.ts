/**
 * The versions of each table key of a run: every `table-file` history value (W&B's shape: the
 * run file path that holds the table, its sha256, rows and columns) by (run, key, step), in
 * `table_versions` (schema 9). A rich values extension fills it inside the batch's transaction;
 * the file itself may arrive before or after (tables are read from the run's file records).
 */
import type Database from "better-sqlite3";
import type { TableVersionRecord } from "../structured-store.js";
import { tableVersionRows } from "../structured-rows.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

export class TableVersionRecords implements RichValueExtension {
  private readonly insert: Database.Statement<
    [number, string, number, string, string | null, number | null, number | null]
  >;
  private readonly all: Database.Statement<[number], TableVersionRecord>;
  private readonly ofKey: Database.Statement<[number, string], TableVersionRecord>;
  private readonly clear: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO table_versions (run_pk, key, step, path, sha256, nrows, ncols)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const columns = "key, step, path, sha256, nrows AS rows, ncols AS columns";
    this.all = db.prepare(`SELECT ${columns} FROM table_versions WHERE run_pk = ? ORDER BY key, step`);
    this.ofKey = db.prepare(
      `SELECT ${columns} FROM table_versions WHERE run_pk = ? AND key = ? ORDER BY step`,
    );
    this.clear = db.prepare("DELETE FROM table_versions WHERE run_pk = ?");
  }

  clearRun(runPk: number): void {
    this.clear.run(runPk);
  }

  apply(runPk: number, values: readonly RichValue[]): void {
    for (const r of tableVersionRows(values))
      this.insert.run(runPk, r.key, r.step, r.path, r.sha256, r.rows, r.columns);
  }

  list(runPk: number): TableVersionRecord[] {
    return this.all.all(runPk);
  }

  versions(runPk: number, key: string): TableVersionRecord[] {
    return this.ofKey.all(runPk, key);
  }
}
