/**
 * Reads and writes of whole `runs` rows, shared by ingestion, listing and updates.
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store.js";
import { RUN_COLUMNS, runFromRow, runParams, type RunRow } from "./run-row.js";

const SET_COLUMNS = RUN_COLUMNS.split(", ")
  .filter((c) => c !== "pk")
  .map((c) => `${c} = @${c}`)
  .join(", ");
const INSERT_COLUMNS = RUN_COLUMNS.split(", ").filter((c) => c !== "pk");

export class RunTable {
  private readonly selectByRef: Database.Statement<[string, string, string], RunRow>;
  private readonly countInProject: Database.Statement<[string, string], { n: number }>;
  private readonly insert: Database.Statement<[Record<string, unknown>], { pk: number }>;
  private readonly update: Database.Statement<[Record<string, unknown>]>;

  constructor(db: Database.Database) {
    this.selectByRef = db.prepare(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE entity = ? AND project = ? AND run_id = ?`,
    );
    this.countInProject = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE entity = ? AND project = ?");
    this.insert = db.prepare(
      `INSERT INTO runs (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map((c) => `@${c}`).join(", ")}) RETURNING pk`,
    );
    this.update = db.prepare(`UPDATE runs SET ${SET_COLUMNS} WHERE pk = @pk`);
  }

  find(ref: RunRef): { pk: number; run: StoredRun } | null {
    const row = this.selectByRef.get(ref.entity, ref.project, ref.runId);
    return row ? { pk: row.pk, run: runFromRow(row) } : null;
  }

  countProjectRuns(entity: string, project: string): number {
    return (this.countInProject.get(entity, project) as { n: number }).n;
  }

  create(run: StoredRun): number {
    return (this.insert.get(runParams(run)) as { pk: number }).pk;
  }

  save(pk: number, run: StoredRun): void {
    this.update.run({ ...runParams(run), pk });
  }
}
