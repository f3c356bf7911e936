/**
 * The full check of the SQLite store, read-only (it may run beside a serving server): SQLite's
 * `integrity_check` (every page, every index against its table), then every history block,
 * series chunk and rollup block against its checksum, and that each run's history blocks and
 * each series' chunks cover their counts without a hole. Each damaged item is reported with its
 * run and place; a table that SQLite cannot read at all is reported for the run being read.
 */
import Database from "better-sqlite3";
import { BLOCK_UNITS, CHUNK_POINTS, topLevel, unitSize } from "../../domain/series-levels.js";
import {
  chunkChecksum,
  chunkCountProblem,
  historyBlockChecksum,
  places,
  rollupChecksum,
} from "./checksum.js";
import { storedSchemaVersion, SCHEMA_VERSION } from "./schema.js";
import { runPath } from "./store-corruption.js";

/** One damaged thing: the run it belongs to (null for the file as a whole), what, where, why. */
export interface DamagedItem {
  run: string | null;
  item: "database" | "history block" | "series chunk" | "series rollup" | "file";
  where: string;
  problem: string;
}

export interface SqliteCheckResult {
  schemaVersion: number | null;
  runs: number;
  historyBlocks: number;
  seriesChunks: number;
  seriesRollups: number;
  damaged: DamagedItem[];
  /** Things worth knowing that are not damage (a schema from before checksums). */
  notes: string[];
  /** Every file record, for the blob check. */
  files: Array<{
    entity: string;
    project: string;
    runId: string;
    path: string;
    size: number;
    sha256: string;
  }>;
}

/** Problems integrity_check lists at most. */
const MAX_INTEGRITY_PROBLEMS = 100;
/** Schema version from which rows carry checksums (schema.ts). */
const CHECKSUM_VERSION = 4;

interface RunRow {
  pk: number;
  entity: string;
  project: string;
  run_id: string;
  history_count: number;
}

/** Checks the database at `path` and reports what is damaged. */
export function checkSqliteStore(path: string): SqliteCheckResult {
  const result: SqliteCheckResult = {
    schemaVersion: null,
    runs: 0,
    historyBlocks: 0,
    seriesChunks: 0,
    seriesRollups: 0,
    damaged: [],
    notes: [],
    files: [],
  };
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
  const blocks = db.prepare(
    `SELECT first_index, row_count, min_step, max_step, steps, body, packed, crc
     FROM history_blocks WHERE run_pk = ? ORDER BY first_index`,
  );
  const series = db.prepare("SELECT id, key, point_count FROM series WHERE run_pk = ? ORDER BY key");
  const chunks = db.prepare(
    `SELECT chunk_index, n, x_first, x_last, x_data, y_data, crc
     FROM series_chunks WHERE series_id = ? ORDER BY chunk_index`,
  );
  const rollups = db.prepare(
    "SELECT level, block_index, units, crc FROM series_rollups WHERE series_id = ? ORDER BY level, block_index",
  );
  // Each run is read in one snapshot (a read transaction): a server writing beside the check
  // must not make a chunk that grew between two reads look inconsistent with its series.
  const inSnapshot = db.transaction((work: () => void) => work());
  for (const run of runs) {
    result.runs++;
    const name = runPath({ entity: run.entity, project: run.project, runId: run.run_id });
    const report = (item: DamagedItem["item"], where: string, problem: string): void => {
      result.damaged.push({ run: name, item, where, problem });
    };
    try {
      inSnapshot(() =>
        checkHistory(blocks.iterate(run.pk) as Iterable<HistoryBlockRow>, run.history_count, report, result),
      );
    } catch (error) {
      report("history block", "history", `SQLite cannot read them: ${message(error)}`);
    }
    try {
      inSnapshot(() => {
        for (const s of series.iterate(run.pk) as Iterable<{
          id: number;
          key: string;
          point_count: number;
        }>) {
          checkSeries(s, chunks.iterate(s.id) as Iterable<ChunkRow>, report, result);
          checkRollups(s, rollups.iterate(s.id) as Iterable<RollupRow>, report, result);
        }
      });
    } catch (error) {
      report("series chunk", "series", `SQLite cannot read them: ${message(error)}`);
    }
  }
}

interface HistoryBlockRow {
  first_index: number;
  row_count: number;
  min_step: number;
  max_step: number;
  steps: Buffer;
  body: string;
  packed: Buffer | null;
  crc: number;
}

type Report = (item: DamagedItem["item"], where: string, problem: string) => void;

function checkHistory(
  blocks: Iterable<HistoryBlockRow>,
  count: number,
  report: Report,
  result: SqliteCheckResult,
): void {
  let next = 0;
  for (const b of blocks) {
    result.historyBlocks++;
    if (b.first_index > next)
      report("history block", places.historyBlock(next, b.first_index - next), "missing");
    const crc = historyBlockChecksum(
      b.first_index,
      b.row_count,
      b.min_step,
      b.max_step,
      b.steps,
      b.body,
      b.packed,
    );
    if (crc !== b.crc)
      report("history block", places.historyBlock(b.first_index, b.row_count), "checksum mismatch");
    next = Math.max(next, b.first_index + b.row_count);
  }
  if (next < count) report("history block", places.historyBlock(next, count - next), "missing");
}

interface ChunkRow {
  chunk_index: number;
  n: number;
  x_first: number;
  x_last: number;
  x_data: Buffer | null;
  y_data: Buffer;
  crc: number;
}

interface RollupRow {
  level: number;
  block_index: number;
  units: Buffer;
  crc: number;
}

function checkSeries(
  series: { key: string; point_count: number },
  chunks: Iterable<ChunkRow>,
  report: Report,
  result: SqliteCheckResult,
): void {
  let expected = 0;
  const last = Math.ceil(series.point_count / CHUNK_POINTS);
  const missing = (from: number, to: number): void =>
    report("series chunk", places.chunk(series.key, from, (to - from) * CHUNK_POINTS), "missing");
  for (const c of chunks) {
    result.seriesChunks++;
    if (c.chunk_index > expected) missing(expected, Math.min(c.chunk_index, last));
    const where = places.chunk(series.key, c.chunk_index, c.n);
    if (c.crc !== chunkChecksum(c.chunk_index, c.n, c.x_first, c.x_last, c.x_data, c.y_data))
      report("series chunk", where, "checksum mismatch");
    const n = Math.min(CHUNK_POINTS, series.point_count - c.chunk_index * CHUNK_POINTS);
    if (c.n !== n) report("series chunk", where, chunkCountProblem(c.n, n));
    expected = Math.max(expected, c.chunk_index + 1);
  }
  if (expected < last) missing(expected, last);
}

/** Each kept level (domain/series-levels.ts) must hold blocks 0 … the one of its last unit. */
function checkRollups(
  series: { key: string; point_count: number },
  rows: Iterable<RollupRow>,
  report: Report,
  result: SqliteCheckResult,
): void {
  const top = topLevel(series.point_count);
  const lastBlock = (level: number): number =>
    Math.floor((series.point_count - 1) / (unitSize(level) * BLOCK_UNITS));
  let level = 1;
  let expected = 0;
  const missingUpTo = (last: number): void => {
    for (; expected <= last; expected++)
      report("series rollup", places.rollup(series.key, level, expected), "missing");
  };
  for (const r of rows) {
    result.seriesRollups++;
    for (; level < r.level; level++, expected = 0) if (level <= top) missingUpTo(lastBlock(level));
    if (r.level <= top) missingUpTo(Math.min(r.block_index, lastBlock(level) + 1) - 1);
    if (r.crc !== rollupChecksum(r.level, r.block_index, r.units))
      report("series rollup", places.rollup(series.key, r.level, r.block_index), "checksum mismatch");
    expected = r.block_index + 1;
  }
  for (; level <= top; level++, expected = 0) missingUpTo(lastBlock(level));
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

function fileProblem(problem: string): DamagedItem {
  return { run: null, item: "database", where: "the database file", problem };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
