/**
 * `Table`: W&B's `wandb.Table`. Rows of cells (strings, numbers, booleans, null, nested JSON,
 * media objects) under named columns. Each column's type is inferred from its first non-null
 * cell and checked for every later cell; a ragged row or a contradicting cell throws
 * InvalidDataError naming the row, the column and the fix, and leaves the table unchanged.
 * No row cap: a table is logged whole (W&B's run copy keeps 10,000 rows, its artifact 200,000).
 */
import { isList } from "../numeric-input.js";
import { InvalidDataError, keyProblem } from "@stepwise/protocol";
import { isPlainObject } from "../../values/deep-merge.js";
import { checkCell, readCell, type ColumnKind } from "./table-cells.js";
import { loggedTable } from "./table-file.js";
import { TO_LOGGED, type LogContext, type Loggable, type LoggedValue } from "../../media/logged-value.js";

export interface TableOptions {
  /** Column names (unique, 1–1,024 characters). Numbers are taken as their string. */
  columns?: ReadonlyArray<string | number>;
  /** Rows: one array (or typed array) of cells per row, `columns.length` cells each. */
  data?: ReadonlyArray<ArrayLike<unknown>>;
  /** W&B's older name for `data`. */
  rows?: ReadonlyArray<ArrayLike<unknown>>;
}

export class Table implements Loggable {
  private readonly names: string[];
  private readonly rowsKept: unknown[][] = [];
  private readonly kinds: Array<ColumnKind | null>;

  constructor(options: TableOptions = {}) {
    const given: unknown = options;
    if (!isPlainObject(given))
      throw new InvalidDataError(
        'Table: pass an options object, e.g. new Table({ columns: ["x", "y"], data: [[1, 2]] })',
      );
    if (options.data !== undefined && options.rows !== undefined)
      throw new InvalidDataError("Table: give data or rows (its older name), not both");
    this.names = checkColumns(options.columns ?? []);
    this.kinds = this.names.map(() => null);
    const data = options.data ?? options.rows ?? [];
    if (!isList(data)) throw new InvalidDataError("Table: data must be an array of rows (arrays of cells)");
    const rows = data.map((row, i) => this.readRow(row, i, this.kinds));
    for (const row of rows) this.rowsKept.push(row);
  }

  /** A table of plain objects: columns are their keys in first-seen order, a missing key is null. */
  static fromRecords(records: ReadonlyArray<Record<string, unknown>>): Table {
    if (!isList(records))
      throw new InvalidDataError("Table.fromRecords: pass an array of plain objects, one per row");
    const columns: string[] = [];
    const seen = new Set<string>();
    records.forEach((record, i) => {
      if (!isPlainObject(record))
        throw new InvalidDataError(
          `Table.fromRecords: record ${i} is not a plain object; give one object per row`,
        );
      for (const key of Object.keys(record))
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
    });
    return new Table({ columns, data: records.map((record) => columns.map((c) => record[c] ?? null)) });
  }

  /** Column names, in order. */
  get columns(): readonly string[] {
    return this.names;
  }
  /** Rows as kept (cells copied and normalised when added). */
  get data(): ReadonlyArray<readonly unknown[]> {
    return this.rowsKept;
  }
  get nrows(): number {
    return this.rowsKept.length;
  }
  get ncols(): number {
    return this.names.length;
  }
  /** Each column's type (null until it has a non-null cell). */
  get columnTypes(): ReadonlyArray<{ kind: string; mediaType?: string } | null> {
    return this.kinds.map((k) =>
      k === null ? null : { kind: k.kind, ...(k.mediaType !== undefined ? { mediaType: k.mediaType } : {}) },
    );
  }

  /** Appends one row: exactly one cell per column. */
  addData(...cells: unknown[]): void {
    const kinds = [...this.kinds];
    const row = this.readRow(cells, this.rowsKept.length, kinds);
    kinds.forEach((k, i) => (this.kinds[i] = k));
    this.rowsKept.push(row);
  }

  /** Adds a column with one value per row (on a table without columns, it makes the rows). */
  addColumn(name: string | number, values: ArrayLike<unknown>): void {
    const [column] = checkColumns([name], this.names);
    if (column === undefined) return;
    if (values === null || typeof values !== "object" || typeof values.length !== "number")
      throw new InvalidDataError(
        `Table.addColumn("${column}"): values must be an array with one value per row`,
      );
    const empty = this.names.length === 0 && this.rowsKept.length === 0;
    if (!empty && values.length !== this.rowsKept.length)
      throw new InvalidDataError(
        `Table.addColumn("${column}"): got ${values.length} values for ${this.rowsKept.length} rows; give one value per row`,
      );
    const kinds: Array<ColumnKind | null> = [null];
    const cells = Array.from(values, (value, row) => {
      const cell = readCell(value, column, row);
      checkCell(kinds, [column], 0, row, cell);
      return cell.value;
    });
    this.names.push(column);
    this.kinds.push(kinds[0] ?? null);
    if (empty) for (const cell of cells) this.rowsKept.push([cell]);
    else cells.forEach((cell, row) => (this.rowsKept[row] as unknown[]).push(cell));
  }

  /** Logged (history or summary): W&B's `table-file` value and the table's JSON file (table-file.ts). */
  [TO_LOGGED](ctx: LogContext): LoggedValue {
    return loggedTable(
      this.names,
      this.rowsKept,
      ctx,
      this.kinds.some((k) => k?.kind === "media"),
    );
  }

  /** The cells of one column, in row order. */
  getColumn(name: string): unknown[] {
    const index = this.names.indexOf(name);
    if (index < 0)
      throw new InvalidDataError(`Table.getColumn: no column "${name}"; columns: ${this.names.join(", ")}`);
    return this.rowsKept.map((row) => row[index]);
  }

  private readRow(row: unknown, index: number, kinds: Array<ColumnKind | null>): unknown[] {
    if (!Array.isArray(row) && !(ArrayBuffer.isView(row) && !(row instanceof DataView)))
      throw new InvalidDataError(
        `Table: row ${index} is not an array; give one array of ${this.names.length} cells per row`,
      );
    const cells = row as unknown as ArrayLike<unknown>;
    if (cells.length !== this.names.length)
      throw new InvalidDataError(
        `Table: row ${index} has ${cells.length} cells but the table has ${this.names.length} columns ` +
          `(${this.names.slice(0, 10).join(", ")}${this.names.length > 10 ? ", …" : ""}); give one cell per column (null for a missing value)`,
      );
    const out = new Array<unknown>(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const column = this.names[i] as string;
      const cell = readCell(cells[i], column, index);
      checkCell(kinds, this.names, i, index, cell);
      out[i] = cell.value;
    }
    return out;
  }
}

function checkColumns(columns: ReadonlyArray<string | number>, existing: readonly string[] = []): string[] {
  if (!isList(columns)) throw new InvalidDataError("Table: columns must be an array of names");
  const seen = new Set(existing);
  return columns.map((raw, i) => {
    if (typeof raw !== "string" && typeof raw !== "number")
      throw new InvalidDataError(`Table: column ${i} must be named by a string, got ${typeof raw}`);
    const name = String(raw);
    const problem = keyProblem(name);
    if (problem !== null)
      throw new InvalidDataError(`Table: the column name "${name.slice(0, 40)}" ${problem}`);
    if (seen.has(name))
      throw new InvalidDataError(`Table: the column "${name}" is named twice; column names must be unique`);
    seen.add(name);
    return name;
  });
}
