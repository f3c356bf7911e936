/**
 * Each run's history columns on SQLite (`history_columns`, history-columns-schema.ts): written
 * with the batch that changes them (batch-applier.ts), read by the CSV and Parquet exports with
 * the run's row count in one read transaction, so the columns cover exactly the rows counted.
 * A row that does not read back as a column set (damage) is answered as none: the export then
 * reads the history twice, as for a run stored before the table, and ingest stops keeping it.
 * A run stored before the table gets its row from its first two-pass export (`keep`).
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import type { HistoryColumns, KeptHistoryColumns, Kind } from "../history-columns.js";

const LETTER: Record<Kind, string> = { none: "n", number: "d", boolean: "b", other: "o" };
const KIND: Record<string, Kind> = { n: "none", d: "number", b: "boolean", o: "other" };

export class HistoryColumnsRecords {
  private readonly select: Database.Statement<[number], StoredRow>;
  private readonly upsert: Database.Statement<[number, string, string, number]>;
  private readonly selectRun: Database.Statement<
    [string, string, string],
    { pk: number; history_count: number }
  >;
  private readonly keptOf: Database.Transaction<(ref: RunRef) => KeptHistoryColumns | null>;
  private readonly keepFound: Database.Transaction<
    (ref: RunRef, columns: HistoryColumns, rowCount: number) => boolean
  >;

  constructor(db: Database.Database) {
    this.select = db.prepare("SELECT names, kinds, dense FROM history_columns WHERE run_pk = ?");
    this.upsert = db.prepare(
      `INSERT INTO history_columns (run_pk, names, kinds, dense) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_pk) DO UPDATE SET names = excluded.names, kinds = excluded.kinds, dense = excluded.dense`,
    );
    this.selectRun = db.prepare(
      "SELECT pk, history_count FROM runs WHERE entity = ? AND project = ? AND run_id = ?",
    );
    // One read transaction: no commit of another connection comes between the two reads.
    this.keptOf = db.transaction((ref: RunRef) => {
      const run = this.selectRun.get(ref.entity, ref.project, ref.runId);
      if (run === undefined) return null;
      const columns = this.read(run.pk);
      return columns === null ? null : { columns, rowCount: run.history_count };
    });
    // Under the write lock (IMMEDIATE): no batch of the run can come between the check and the row.
    this.keepFound = db.transaction((ref: RunRef, columns: HistoryColumns, rowCount: number) => {
      const run = this.selectRun.get(ref.entity, ref.project, ref.runId);
      if (run === undefined || run.history_count !== rowCount || this.select.get(run.pk) !== undefined)
        return false;
      this.save(run.pk, columns);
      return true;
    });
  }

  /** The run's kept columns, or null when none are kept (or the row is damaged). */
  read(runPk: number): HistoryColumns | null {
    const row = this.select.get(runPk);
    return row === undefined ? null : decode(row);
  }

  save(runPk: number, columns: HistoryColumns): void {
    const kinds = columns.kinds.map((k) => LETTER[k]).join("");
    this.upsert.run(runPk, JSON.stringify(columns.names), kinds, columns.dense ? 1 : 0);
  }

  /**
   * Keeps the columns a first pass found over a run's `rowCount` rows, for a run that has none
   * kept (stored before they were): only while the run still has exactly those rows. True when kept.
   */
  keep(ref: RunRef, columns: HistoryColumns, rowCount: number): boolean {
    return this.keepFound.immediate(ref, columns, rowCount);
  }

  /** The columns of a run and the rows they cover, read together; null: none kept. */
  kept(ref: RunRef): KeptHistoryColumns | null {
    return this.keptOf.deferred(ref);
  }
}

interface StoredRow {
  names: string;
  kinds: string;
  dense: number;
}

function decode({ names: namesText, kinds: kindsText, dense }: StoredRow): HistoryColumns | null {
  let names: unknown;
  try {
    names = JSON.parse(namesText);
  } catch {
    return null;
  }
  if (!Array.isArray(names) || names.length !== kindsText.length) return null;
  const kinds: Kind[] = [];
  for (let i = 0; i < names.length; i++) {
    const kind = KIND[kindsText[i] as string];
    if (typeof names[i] !== "string" || kind === undefined) return null;
    kinds.push(kind);
  }
  return { names: names as string[], kinds, dense: dense === 1 };
}
