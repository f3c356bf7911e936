/**
 * The full check of the SQLite store, read-only (it may run beside a serving server): SQLite's
 * `integrity_check` (every page, every index against its table), then every history block,
 * series chunk and rollup block against its checksum, and that each run's history blocks and
 * each series' chunks cover their counts without a hole. Each damaged item is reported with its
 * run and place; a table that SQLite cannot read at all is reported for the run being read.
 */
import Database from "better-sqlite3";
import {
  databaseProblem as fileProblem,
  emptyCheckResult,
  errorMessage as message,
  type DatabaseCheckResult,
} from "../database-check.js";
import { topLevel } from "../../domain/series-levels.js";
import { CHECKSUM_VERSION, storedSchemaVersion, SCHEMA_VERSION } from "./schema.js";
import { runPath } from "./store-corruption.js";
import {
  checkChunk,
  checkChunksEnd,
  checkHistoryBlock,
  checkHistoryEnd,
  checkRollupBlock,
  checkRollupsEnd,
  CHUNK_COLUMNS,
  HISTORY_BLOCK_COLUMNS,
  lastRollupBlock,
  ROLLUP_COLUMNS,
  type ChunkRow,
  type HistoryBlockRow,
  type Report,
  type RollupRow,
  type SeriesCount,
} from "./stored-rows.js";

export type { DamagedItem } from "../database-check.js";
/** The SQLite check's result: the shared shape of a database check. */
export type SqliteCheckResult = DatabaseCheckResult;

/** Problems integrity_check lists at most. */
const MAX_INTEGRITY_PROBLEMS = 100;

interface RunRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
  history_count: number;
}

/** Checks the database at `path` and reports what is damaged. */
export function checkSqliteStore(path: string): SqliteCheckResult {
  const result: SqliteCheckResult = emptyCheckResult();
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    result.damaged.push(fileProblem(`cannot be opened: ${message(error)}`));
    return result;
  }
  try {
    const problems = (
      db.pragma(`integrity_check(${MAX_INTEGRITY_PROBLEMS})`) as Array<{ integrity_check: string }>
    )
      .map((row) => row.integrity_check)
      .filter((line) => line !== "ok");
    for (const problem of problems) result.damaged.push(fileProblem(problem));
    result.schemaVersion = storedSchemaVersion(db);
  } catch (error) {
    // Not a database at all, or damaged past reading its schema: nothing more can be checked.
    result.damaged.push(fileProblem(message(error)));
    db.close();
    return result;
  }
  try {
    if (result.schemaVersion > SCHEMA_VERSION) {
      result.notes.push(
        `schema version ${result.schemaVersion} is newer than this Stepwise (${SCHEMA_VERSION}): upgrade Stepwise to check it`,
      );
    } else if (result.schemaVersion < CHECKSUM_VERSION) {
      result.notes.push(
        `schema version ${result.schemaVersion} predates checksums: start the server once (it adds them), then check again`,
      );
    } else {
      checkRuns(db, result);
    }
    collectFiles(db, result);
  } finally {
    db.close();
  }
  return result;
}

function checkRuns(db: Database.Database, result: SqliteCheckResult): void {
  let runs: RunRow[];
  try {
    runs = db
      .prepare("SELECT pk, entity, project, run_id, history_count FROM runs ORDER BY pk")
      .all() as RunRow[];
  } catch (error) {
    result.damaged.push(fileProblem(`the runs table cannot be read: ${message(error)}`));
    return;
  }
  const blocks = db.prepare<[number], HistoryBlockRow>(
    `SELECT ${HISTORY_BLOCK_COLUMNS} FROM history_blocks WHERE run_pk = ? ORDER BY first_index`,
  );
  const series = db.prepare<[number], { id: number; key: string; count: number }>(
    "SELECT id, key, point_count AS count FROM series WHERE run_pk = ? ORDER BY key",
  );
  const chunks = db.prepare<[number], ChunkRow>(
    `SELECT ${CHUNK_COLUMNS} FROM series_chunks WHERE series_id = ? ORDER BY chunk_index`,
  );
  const rollups = db.prepare<[number], RollupRow>(
    `SELECT ${ROLLUP_COLUMNS} FROM series_rollups WHERE series_id = ? ORDER BY level, block_index`,
  );
  // Each run is read in one snapshot (a read transaction): a server writing beside the check
  // must not make a chunk that grew between two reads look inconsistent with its series.
  const inSnapshot = db.transaction((work: () => void) => work());
  for (const run of runs) {
    result.runs++;
    const name = runPath({ entity: run.entity, project: run.project, runId: run.run_id });
    const report: Report = (item, where, problem) => {
      result.damaged.push({ run: name, item, where, problem });
    };
    try {
      inSnapshot(() => {
        let next = 0;
        for (const block of blocks.iterate(run.pk)) {
          result.historyBlocks++;
          result.historyRows += block.row_count;
          next = checkHistoryBlock(block, next, report);
        }
        checkHistoryEnd(next, run.history_count, report);
      });
    } catch (error) {
      report("history block", "history", `SQLite cannot read them: ${message(error)}`);
    }
    try {
      inSnapshot(() => {
        for (const s of series.iterate(run.pk)) {
          let next = 0;
          for (const chunk of chunks.iterate(s.id)) {
            result.seriesChunks++;
            next = checkChunk(s, chunk, next, report);
          }
          checkChunksEnd(s, next, Infinity, report);
          result.seriesRollups += checkRollups(s, rollups.iterate(s.id), report);
        }
      });
    } catch (error) {
      report("series chunk", "series", `SQLite cannot read them: ${message(error)}`);
    }
  }
}

/**
 * Checks every rollup block of a series: each kept level (domain/series-levels.ts) must hold
 * blocks 0 … the one of its last unit. Returns how many blocks it read.
 */
function checkRollups(series: SeriesCount, rows: Iterable<RollupRow>, report: Report): number {
  const top = topLevel(series.count);
  const last = (level: number): number => (level <= top ? lastRollupBlock(level, series.count) : -1);
  let read = 0;
  let level = 1;
  let next = 0;
  for (const row of rows) {
    read++;
    for (; level < row.level; level++, next = 0)
      checkRollupsEnd(series.key, level, next, last(level), report);
    next = checkRollupBlock(series.key, row, next, last(level), report);
  }
  for (; level <= top; level++, next = 0) checkRollupsEnd(series.key, level, next, last(level), report);
  return read;
}

function collectFiles(db: Database.Database, result: SqliteCheckResult): void {
  try {
    const rows = db
      .prepare(
        "SELECT entity, project, run_id, path, size, sha256 FROM run_files ORDER BY entity, project, run_id, path",
      )
      .all() as Array<{
      entity: string;
      project: string;
      run_id: string;
      path: string;
      size: number;
      sha256: string;
    }>;
    for (const row of rows) {
      const { entity, project, run_id: runId, path, size, sha256 } = row;
      result.files.push({ entity, project, runId, path, size, sha256 });
    }
  } catch (error) {
    result.damaged.push(fileProblem(`the file records cannot be read: ${message(error)}`));
  }
}
