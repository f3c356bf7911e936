/**
 * A run's history columns as the CSV and Parquet exports lay them out: every leaf name of every
 * row (namespaces as dotted names, as `forEachLeaf` gives them) in first-seen order, names only
 * ever `null` included, each with the kinds its values held merged into one. A set is read from
 * rows' stored bytes exactly as the exports' first pass reads them (a flat row from its bytes,
 * any other parsed), so that the set kept at ingest (ingest/history-columns.ts) and the set found
 * by reading a stored history agree: with it kept, an export reads the history once.
 */
import { parseExtended } from "@stepwise/protocol";
import { FlatRowBytes, LOWER_F, LOWER_N, LOWER_T, QUOTE } from "../http/history/flat-row-bytes.js";
import { forEachLeaf } from "../http/history/flat-row.js";

/** "none": only nulls so far; "other": strings, objects, arrays, or values of two kinds. */
export type Kind = "none" | "number" | "boolean" | "other";

/** A run's history columns as a store keeps them: names in first-seen order, each one's kind. */
export interface HistoryColumns {
  readonly names: readonly string[];
  readonly kinds: readonly Kind[];
  /**
   * Every row so far was a packed row of numbers only, under plain, distinct keys, holding every
   * column, with `_step` (when it is a column) a safe integer ≥ 0: each column but `_step` is
   * then its series' points in row order, and `_step` their x (ingest/history-columns.ts).
   */
  readonly dense: boolean;
}

/** A run's kept columns and the rows they cover (the run's history rows when they were read). */
export interface KeptHistoryColumns {
  readonly columns: HistoryColumns;
  readonly rowCount: number;
}

export class HistoryColumnSet {
  private readonly kinds = new Map<string, Kind>();
  private readonly flat = new FlatRowBytes();
  // The kinds of a run of flat rows with the same names (nearly every row), by member: merged
  // into `kinds` when the names change, instead of a Map lookup and update per value (first pass
  // over 1M 13-member rows, alternating in one process at load ~11: 1.07–1.15 → 1.01–1.10 s
  // CPU). Merging is order-free, and each run's names go into `kinds` before any later row's, so
  // the first-seen order is kept.
  private readonly runNames: string[] = [];
  private readonly runKinds: Kind[] = [];
  private readonly noteLeaf = (name: string, value: unknown): void => this.merge(name, kindOf(value));
  private changedSince = false;

  /** See HistoryColumns.dense: true for a new set, false once a row is read as text. */
  private isDense = true;

  constructor(kept?: HistoryColumns) {
    if (kept === undefined) return;
    for (let i = 0; i < kept.names.length; i++)
      this.kinds.set(kept.names[i] as string, kept.kinds[i] as Kind);
    this.isDense = kept.dense;
  }

  get dense(): boolean {
    return this.isDense;
  }

  /** A row that does not keep the set dense. */
  notDense(): void {
    if (!this.isDense) return;
    this.isDense = false;
    this.changedSince = true;
  }

  has(name: string): boolean {
    this.fold();
    return this.kinds.has(name);
  }

  /** How many columns the set holds. */
  get size(): number {
    this.fold();
    return this.kinds.size;
  }

  /** The row at [start, end) of `page` (no line break), as the exports read it. */
  row(page: Buffer, start: number, end: number): void {
    this.notDense();
    const flat = this.flat;
    if (!flat.read(page, start, end)) {
      this.fold();
      forEachLeaf(parseExtended(page.toString("utf8", start, end)), this.noteLeaf);
      return;
    }
    const runNames = this.runNames;
    const runKinds = this.runKinds;
    if (!flat.sameNames || runNames.length !== flat.count) {
      this.fold();
      for (let i = 0; i < flat.count; i++) {
        runNames.push(flat.names[i] as string);
        runKinds.push("none");
      }
    }
    for (let i = 0; i < flat.count; i++)
      runKinds[i] = mergeKinds(runKinds[i], kindOfToken(page[flat.starts[i] as number] as number));
  }

  /** A leaf known without reading a row's text (a packed row's number: "number"). */
  note(name: string, kind: Kind): void {
    this.fold();
    this.merge(name, kind);
  }

  /** A name was added or a kind changed since the set was made (or `markChanged`). */
  get changed(): boolean {
    this.fold();
    return this.changedSince;
  }

  /** Counts the set as changed (a new set, kept even before its first column). */
  markChanged(): void {
    this.changedSince = true;
  }

  /** Each name's kind, in first-seen order. */
  result(): Map<string, Kind> {
    this.fold();
    return this.kinds;
  }

  /** The set as a store keeps it. */
  kept(): HistoryColumns {
    const kinds = this.result();
    return { names: [...kinds.keys()], kinds: [...kinds.values()], dense: this.isDense };
  }

  private fold(): void {
    const runNames = this.runNames;
    if (runNames.length === 0) return;
    for (let i = 0; i < runNames.length; i++) this.merge(runNames[i] as string, this.runKinds[i] as Kind);
    runNames.length = 0;
    this.runKinds.length = 0;
  }

  private merge(name: string, kind: Kind): void {
    const known = this.kinds.get(name);
    const merged = mergeKinds(known, kind);
    if (merged === known) return;
    this.kinds.set(name, merged);
    this.changedSince = true;
  }
}

function kindOfToken(first: number): Kind {
  if (first === QUOTE) return "other";
  if (first === LOWER_N) return "none";
  if (first === LOWER_T || first === LOWER_F) return "boolean";
  return "number";
}

function kindOf(value: unknown): Kind {
  if (value === null) return "none";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "other";
}

export function mergeKinds(known: Kind | undefined, next: Kind): Kind {
  if (known === undefined || known === "none") return next;
  if (next === "none" || next === known) return known;
  return "other";
}
