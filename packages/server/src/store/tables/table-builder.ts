/**
 * Builds the stored form of a logged table: one SQLite file per table content, rows in logged
 * order (rowid = row index + 1), column i as `c<i>` without type affinity (table-cells.ts), an
 * index on each number/string/boolean column (up to 32) so that sorting by one column pages
 * without a sort, ANALYZE so the planner knows which indexes are selective, and a `meta` row
 * with the typed columns; NaN cells are listed in a sidecar table (table-cells.ts). Written to a temporary path with journaling off, flushed to disk and
 * only then renamed into place by the caller: a crash leaves no half table under the real name.
 */
import { closeSync, fsyncSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import type { TableColumn } from "@stepwise/protocol";
import { ColumnTyping, columnNames } from "../../domain/tables/column-typing.js";
import { TableFileError, type TableJsonSink } from "../../domain/tables/table-json-reader.js";
import { CREATE_NAN_CELLS, encodeCell, NAN_CELLS_TABLE, type StoredCell } from "./table-cells.js";

/** SQLite's default column limit (SQLITE_MAX_COLUMN) less room for the rowid. */
export const TABLE_MAX_COLUMNS = 1999;
const MAX_INDEXES = 32;
const ROWS_PER_TRANSACTION = 50_000;

export interface BuiltTable {
  columns: TableColumn[];
  rows: number;
}

export class TableBuilder implements TableJsonSink {
  private readonly db: Database.Database;
  private insert: Database.Statement<StoredCell[]> | null = null;
  private insertNaN: Database.Statement<[number, number]> | null = null;
  private names: string[] | null = null;
  private typing: ColumnTyping[] = [];
  private width = -1;
  private rowCount = 0;
  private inTransaction = false;

  constructor(private readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = OFF");
    this.db.pragma("synchronous = OFF");
  }

  columns(logged: unknown[]): void {
    if (this.names !== null) throw new TableFileError('the table file has two "columns" members');
    this.names = columnNames(logged);
    if (this.width === -1) this.create(this.names.length);
    else if (this.width !== this.names.length)
      throw new TableFileError(
        `the table has ${this.names.length} columns but its rows have ${this.width} cells`,
      );
  }

  row(cells: unknown[], index: number): void {
    if (!Array.isArray(cells)) throw new TableFileError(`row ${index} is not a list of cells`);
    if (this.width === -1) this.create(cells.length);
    if (cells.length !== this.width)
      throw new TableFileError(
        `row ${index} has ${cells.length} cells but the table has ${this.width} columns; every row needs one cell per column`,
      );
    if (!this.inTransaction) {
      this.db.exec("BEGIN");
      this.inTransaction = true;
    }
    const stored = new Array<StoredCell>(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      (this.typing[i] as ColumnTyping).add(cell);
      stored[i] = encodeCell(cell);
      if (typeof cell === "number" && Number.isNaN(cell))
        (this.insertNaN as Database.Statement<[number, number]>).run(this.rowCount + 1, i);
    }
    (this.insert as Database.Statement<StoredCell[]>).run(...stored);
    if (++this.rowCount % ROWS_PER_TRANSACTION === 0) this.commit();
  }

  /** Indexes, statistics and the meta row; closes the file and flushes it to disk. */
  finish(): BuiltTable {
    this.commit();
    if (this.names === null) throw new TableFileError('the table file has no "columns" member');
    const names = this.names;
    const columns = this.typing.map((t, i) => ({ ...t.column(), name: names[i] as string }));
    let indexes = 0;
    columns.forEach((c, i) => {
      if (indexes < MAX_INDEXES && (c.type === "number" || c.type === "string" || c.type === "boolean")) {
        this.db.exec(`CREATE INDEX i${i} ON t (c${i})`);
        indexes++;
      }
    });
    this.db.exec("ANALYZE");
    this.db.exec("CREATE TABLE meta (columns TEXT NOT NULL, rows INTEGER NOT NULL)");
    this.db
      .prepare("INSERT INTO meta (columns, rows) VALUES (?, ?)")
      .run(JSON.stringify(columns), this.rowCount);
    this.db.close();
    const fd = openSync(this.path, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { columns, rows: this.rowCount };
  }

  /** Closes the file without finishing it (the caller removes it). */
  abandon(): void {
    if (this.db.open) this.db.close();
  }

  private create(width: number): void {
    if (width > TABLE_MAX_COLUMNS)
      throw new TableFileError(`the table has ${width} columns; at most ${TABLE_MAX_COLUMNS} are supported`);
    if (width === 0) throw new TableFileError("the table has no columns");
    this.width = width;
    const list = Array.from({ length: width }, (_, i) => `c${i}`);
    this.db.exec(`CREATE TABLE t (${list.join(", ")})`);
    this.insert = this.db.prepare(`INSERT INTO t VALUES (${list.map(() => "?").join(", ")})`);
    this.db.exec(CREATE_NAN_CELLS);
    this.insertNaN = this.db.prepare(`INSERT INTO ${NAN_CELLS_TABLE} (r, c) VALUES (?, ?)`);
    this.typing = list.map((name) => new ColumnTyping(name));
  }

  private commit(): void {
    if (!this.inTransaction) return;
    this.db.exec("COMMIT");
    this.inTransaction = false;
  }
}
