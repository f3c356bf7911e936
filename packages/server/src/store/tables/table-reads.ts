/**
 * The reads of stored tables, by file path, as the table read worker runs them (and the server's
 * own thread when it runs from TypeScript sources, in tests): a page of rows, groups, and the
 * pages of an export, each on a reader kept open per file (its kept orders with it).
 */
import Database from "better-sqlite3";
import type { TableColumn } from "@stepwise/protocol";
import type { TablePlan } from "../../domain/tables/table-query-plan.js";
import type { GroupPart } from "./table-groups.js";
import type { OrderPart } from "./table-order-parts.js";
import { TableReader } from "./table-reader.js";

const OPEN_READERS = 8;
/** A first scan is split in this many parts: one per table read worker (table-read-pool.ts). */
const SPLIT_PARTS = 2;
/** Lets SQLite read a table file through memory mapping: a scan ~20% cheaper than read() calls. */
const MMAP_BYTES = 1 << 30;

/**
 * A read answered in parts (a first scan of a large table): the pool runs `split` on its workers
 * at once and then `join` on the table's own worker with the parts' results as `parts`.
 */
export interface SplitRead {
  split: TableReadRequest[];
  join: TableReadRequest & { op: "groups" | "page" };
}

export function isSplitRead(answer: unknown): answer is SplitRead {
  return typeof answer === "object" && answer !== null && "split" in answer && "join" in answer;
}

/** A stored table as the caller knows it: its file and the meta row it read. */
export interface StoredTableRef {
  path: string;
  columns: TableColumn[];
  rows: number;
}

export type TableReadRequest =
  | { op: "page"; table: StoredTableRef; plan: TablePlan; split?: boolean; parts?: OrderPart[] }
  | { op: "order-part"; table: StoredTableRef; plan: TablePlan; from: number; to: number }
  | { op: "groups"; table: StoredTableRef; plan: TablePlan; split?: boolean; parts?: GroupPart[] }
  | { op: "group-part"; table: StoredTableRef; plan: TablePlan; from: number; to: number }
  | { op: "scan-open"; table: StoredTableRef; plan: TablePlan; scan: number }
  | { op: "scan-next"; scan: number }
  | { op: "scan-close"; scan: number }
  | { op: "forget"; path: string };

export class TableReads {
  private readonly readers = new Map<string, TableReader>();
  private readonly scans = new Map<number, { reader: TableReader; pages: Generator<unknown[][]> }>();

  run(request: TableReadRequest): unknown {
    switch (request.op) {
      case "page": {
        const reader = this.reader(request.table);
        if (request.parts !== undefined) return reader.page(request.plan, request.parts);
        const splits = request.split === true ? reader.orderSplits(request.plan, SPLIT_PARTS) : null;
        if (splits === null) return reader.page(request.plan);
        const { table, plan } = request;
        return {
          split: splits.map(([from, to]) => ({ op: "order-part", table, plan, from, to })),
          join: { op: "page", table, plan },
        } satisfies SplitRead;
      }
      case "order-part":
        return this.reader(request.table).orderPart(request.plan, request.from, request.to);
      case "groups": {
        const reader = this.reader(request.table);
        if (request.parts !== undefined) return reader.groups(request.plan, request.parts);
        const splits = request.split === true ? reader.groupSplits(request.plan, SPLIT_PARTS) : null;
        if (splits === null) return reader.groups(request.plan);
        const { table, plan } = request;
        return {
          split: splits.map(([from, to]) => ({ op: "group-part", table, plan, from, to })),
          join: { op: "groups", table, plan },
        } satisfies SplitRead;
      }
      case "group-part":
        return this.reader(request.table).groupPart(request.plan, request.from, request.to);
      case "scan-open": {
        // Its own connection: an export outlives readers pushed out of the open ones.
        const reader = open(request.table);
        this.scans.set(request.scan, { reader, pages: reader.scan(request.plan) });
        return null;
      }
      case "scan-next": {
        const scan = this.scans.get(request.scan);
        if (scan === undefined) return null;
        const next = scan.pages.next();
        if (next.done === true) this.closeScan(request.scan);
        return next.done === true ? null : next.value;
      }
      case "scan-close":
        this.closeScan(request.scan);
        return null;
      case "forget":
        this.readers.get(request.path)?.close();
        this.readers.delete(request.path);
        return null;
    }
  }

  close(): void {
    for (const reader of this.readers.values()) reader.close();
    for (const id of [...this.scans.keys()]) this.closeScan(id);
    this.readers.clear();
  }

  private closeScan(id: number): void {
    this.scans.get(id)?.reader.close();
    this.scans.delete(id);
  }

  private reader(table: StoredTableRef): TableReader {
    let reader = this.readers.get(table.path);
    if (reader !== undefined) {
      this.readers.delete(table.path);
      this.readers.set(table.path, reader);
      return reader;
    }
    reader = open(table);
    this.readers.set(table.path, reader);
    if (this.readers.size > OPEN_READERS) {
      const [oldest, old] = this.readers.entries().next().value as [string, TableReader];
      this.readers.delete(oldest);
      old.close();
    }
    return reader;
  }
}

function open(table: StoredTableRef): TableReader {
  const db = new Database(table.path, { readonly: true, fileMustExist: true });
  // Stored files are only ever replaced by a rename (never truncated in place), so a mapping stays valid.
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return new TableReader(db, table.columns, table.rows);
}
