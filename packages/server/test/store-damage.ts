/**
 * Damages a closed SQLite store the way a bad disk or a stray write would, for the corruption
 * tests: one changed digit in a stored history block's text (valid JSON, a wrong value), one
 * flipped bit in a packed block, a series chunk or a rollup block, a block moved over its
 * neighbour, bits flipped in the file itself (anywhere, or only inside one run's values); and
 * takes a store back to the schema of an older version (before checksums: 3).
 */
import { readFileSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import { historyBlockChecksum } from "../src/store/sqlite/checksum.js";
import { MIGRATIONS } from "../src/store/sqlite/schema.js";

function runPk(db: Database.Database, ref: RunRef): number {
  const row = db
    .prepare("SELECT pk FROM runs WHERE entity = ? AND project = ? AND run_id = ?")
    .get(ref.entity, ref.project, ref.runId) as { pk: number } | undefined;
  if (row === undefined) throw new Error(`no run ${ref.runId} to damage`);
  return row.pk;
}

function seriesId(db: Database.Database, ref: RunRef, key: string): number {
  const row = db.prepare("SELECT id FROM series WHERE run_pk = ? AND key = ?").get(runPk(db, ref), key) as
    { id: number } | undefined;
  if (row === undefined) throw new Error(`no series ${key} to damage`);
  return row.id;
}

/** One bit of the byte in the middle of `bytes` flipped, in a copy. */
function flipBit(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x04;
  return copy;
}

function edit(path: string, work: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    work(db);
  } finally {
    db.close();
  }
}

/** Changes one digit in the middle of a text history block: the rows stay valid JSON, one value is wrong. */
export function changeDigitInHistoryText(path: string, ref: RunRef, firstIndex: number): void {
  edit(path, (db) => {
    const where = "WHERE run_pk = ? AND first_index = ?";
    const pk = runPk(db, ref);
    const { body } = db.prepare(`SELECT body FROM history_blocks ${where}`).get(pk, firstIndex) as {
      body: string;
    };
    if (body === "") throw new Error("the block is packed, not text");
    let at = Math.floor(body.length / 2);
    while (!/[0-8]/.test(body[at] as string)) at++;
    const changed = body.slice(0, at) + String(Number(body[at]) + 1) + body.slice(at + 1);
    db.prepare(`UPDATE history_blocks SET body = ? ${where}`).run(changed, pk, firstIndex);
  });
}

/** Flips a bit in a history block's `packed` rows or its `steps`. */
export function flipHistoryBlockBit(
  path: string,
  ref: RunRef,
  firstIndex: number,
  column: "packed" | "steps",
): void {
  edit(path, (db) => {
    const where = "WHERE run_pk = ? AND first_index = ?";
    const pk = runPk(db, ref);
    const row = db.prepare(`SELECT ${column} AS v FROM history_blocks ${where}`).get(pk, firstIndex) as {
      v: Buffer | null;
    };
    if (row.v === null) throw new Error(`the block has no ${column}`);
    db.prepare(`UPDATE history_blocks SET ${column} = ? ${where}`).run(flipBit(row.v), pk, firstIndex);
  });
}

/**
 * Moves a history block to start at row `to`, with a checksum that matches its new place: a
 * block that overlaps its neighbour (or leaves a hole) though every row is sound.
 */
export function moveHistoryBlock(path: string, ref: RunRef, firstIndex: number, to: number): void {
  edit(path, (db) => {
    const where = "WHERE run_pk = ? AND first_index = ?";
    const pk = runPk(db, ref);
    const b = db
      .prepare(`SELECT row_count, min_step, max_step, steps, body, packed FROM history_blocks ${where}`)
      .get(pk, firstIndex) as {
      row_count: number;
      min_step: number;
      max_step: number;
      steps: Buffer;
      body: string;
      packed: Buffer | null;
    };
    const crc = historyBlockChecksum(to, b.row_count, b.min_step, b.max_step, b.steps, b.body, b.packed);
    db.prepare(`UPDATE history_blocks SET first_index = ?, crc = ? ${where}`).run(to, crc, pk, firstIndex);
  });
}

/** Flips a bit in a series chunk's y values. */
export function flipChunkBit(path: string, ref: RunRef, key: string, chunkIndex: number): void {
  edit(path, (db) => {
    const id = seriesId(db, ref, key);
    const where = "WHERE series_id = ? AND chunk_index = ?";
    const { y } = db.prepare(`SELECT y_data AS y FROM series_chunks ${where}`).get(id, chunkIndex) as {
      y: Buffer;
    };
    db.prepare(`UPDATE series_chunks SET y_data = ? ${where}`).run(flipBit(y), id, chunkIndex);
  });
}

/** Flips a bit in a rollup block's units. */
export function flipRollupBit(
  path: string,
  ref: RunRef,
  key: string,
  level: number,
  blockIndex: number,
): void {
  edit(path, (db) => {
    const id = seriesId(db, ref, key);
    const where = "WHERE series_id = ? AND level = ? AND block_index = ?";
    const { u } = db.prepare(`SELECT units AS u FROM series_rollups ${where}`).get(id, level, blockIndex) as {
      u: Buffer;
    };
    db.prepare(`UPDATE series_rollups SET units = ? ${where}`).run(flipBit(u), id, level, blockIndex);
  });
}

/**
 * Flips `flips` bits in the database file inside the stored values of one run (its history text
 * and its series' y columns), where `next` picks: only that run's rows can be damaged. Each bit
 * is placed by a 32-byte piece of a value found once in the file (a value may span pages).
 */
export function flipBitsInValuesOf(path: string, ref: RunRef, flips: number, next: () => number): void {
  const values: Buffer[] = [];
  edit(path, (db) => {
    const pk = runPk(db, ref);
    for (const { body } of db.prepare("SELECT body FROM history_blocks WHERE run_pk = ?").all(pk) as Array<{
      body: string;
    }>)
      values.push(Buffer.from(body));
    const chunks = db.prepare(
      "SELECT y_data AS y FROM series_chunks WHERE series_id IN (SELECT id FROM series WHERE run_pk = ?)",
    );
    for (const { y } of chunks.all(pk) as Array<{ y: Buffer }>) values.push(y);
  });
  const file = readFileSync(path);
  for (let flipped = 0, tries = 0; flipped < flips; tries++) {
    if (tries > 10_000) throw new Error(`no unique piece of run ${ref.runId}'s values found in the file`);
    const value = values[Math.floor(next() * values.length)] as Buffer;
    const from = Math.floor(next() * (value.length - 32));
    const piece = value.subarray(from, from + 32);
    const at = file.indexOf(piece);
    if (at < 0 || file.indexOf(piece, at + 1) >= 0) continue;
    const byte = at + Math.floor(next() * 32);
    file[byte] = (file[byte] as number) ^ (1 << Math.floor(next() * 8));
    flipped++;
  }
  writeFileSync(path, file);
}

/** Flips a bit in the database file itself, inside the first occurrence of `bytes`; returns the offset. */
export function flipBitInFile(path: string, bytes: Uint8Array): number {
  const file = readFileSync(path);
  const at = file.indexOf(bytes);
  if (at < 0) throw new Error("the bytes are not in the file");
  writeFileSync(path, flipBit(file, at + Math.floor(bytes.length / 2)));
  return at;
}

/** Overwrites the b-tree page header of the page holding table `table`'s root with garbage. */
export function smashRootPage(path: string, table: string): void {
  const db = new Database(path, { readonly: true });
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").get(table) as {
    rootpage: number;
  };
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const file = readFileSync(path);
  const start = (rootpage - 1) * pageSize + (rootpage === 1 ? 100 : 0);
  file.fill(0xa5, start, start + 12);
  writeFileSync(path, file);
}

/**
 * The store as schema version `version` left it: the columns and indexes that later migrations
 * added are dropped and their versions forgotten, so that opening it runs them again (the
 * instance id table is left, as the server made it before migration 6 existed).
 */
export function downgradeTo(path: string, version: number): void {
  edit(path, (db) => {
    for (const migration of [...MIGRATIONS].reverse()) {
      if (migration.version <= version) continue;
      for (const statement of [...migration.statements].reverse()) {
        const column = /^ALTER TABLE (\w+) ADD COLUMN (\w+)/.exec(statement);
        const index = /^CREATE INDEX (\w+)/.exec(statement);
        // Statements that keep what is there (IF NOT EXISTS, OR IGNORE) are left: they run again as well.
        const kept = /^(CREATE TABLE IF NOT EXISTS|CREATE INDEX IF NOT EXISTS|INSERT OR IGNORE) /.test(
          statement,
        );
        if (kept) continue;
        if (column) db.exec(`ALTER TABLE ${column[1]} DROP COLUMN ${column[2]}`);
        else if (index) db.exec(`DROP INDEX ${index[1]}`);
        else if (!statement.startsWith("UPDATE ") && !kept) throw new Error(`cannot undo: ${statement}`);
      }
    }
    db.prepare("DELETE FROM schema_migrations WHERE version > ?").run(version);
  });
}

/** A small deterministic generator (mulberry32), so that each seed flips the same bits every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
