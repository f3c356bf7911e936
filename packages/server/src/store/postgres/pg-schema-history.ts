/**
 * PostgreSQL schema version 9: history stored as blocks, as on SQLite (one table row per ≤ 1,000
 * consecutive rows of a batch) instead of one table row per history row; listed in pg-schema.ts,
 * the statements run in one transaction, in order. A block (pg-history-blocks.ts) holds:
 *
 * - `steps`: each row's step as a big-endian float64 (what `float8send` writes), for step-bounded
 *   reads; `min_step` / `max_step` pick the blocks a bounded read needs.
 * - `body`: the rows' extended-JSON texts as UTF-8, joined by "\n" (JSON text never holds a raw
 *   newline), or, with `packed`, the batch's packed rows as SQLite stores them (sqlite/packed-block.ts).
 * - `sum`: a checksum of the block's place (first row, count, step bounds, packed), steps and
 *   body, verified whenever the block is read: the CRC32 the server computes (4 bytes), or, for
 *   the blocks this migration makes, their MD5 (16 bytes): PostgreSQL 15 has MD5 built in and no
 *   CRC32, so the migration sums blocks in SQL without a round trip per block.
 *
 * The rows of a version-8 database become blocks of consecutive rows (a hole in them stays a hole,
 * reported as missing on read), then `history_rows` is dropped.
 *
 * Storage: bodies are compressed with lz4 where the server has it (PostgreSQL 14+ built with it,
 * as Debian's and the PGDG packages are; elsewhere the default, pglz): a batch of 10,000 packed
 * 10-metric rows cost PostgreSQL ~60–75 ms with pglz, ~30–37 ms with lz4 or none (at load ~7;
 * 36, 38 and 58 MB for 300,000 rows). Steps are kept uncompressed out of line (EXTERNAL): small,
 * and compressing them cost more than it saved. The series' float columns (chunks, rollup
 * units: 4–8 KiB each, always past the TOAST threshold) take lz4 too: pglz's attempts on them
 * were PostgreSQL's largest ingest cost once history was blocks (bench/postgres, 100 batches of
 * 10,000 rows at load ~14: rollups 6.4 → 1.5 s, chunks 3.8 → 1.5 s, PostgreSQL CPU 4.8 → 2.8 s).
 * Rows written before keep their compression; every reader decompresses either.
 */
export const HISTORY_MIGRATION: readonly string[] = [
  `CREATE TABLE history_blocks (
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    first_row bigint NOT NULL, row_count integer NOT NULL,
    min_step double precision NOT NULL, max_step double precision NOT NULL,
    steps bytea NOT NULL, body bytea NOT NULL, packed boolean NOT NULL, sum bytea NOT NULL,
    PRIMARY KEY (run_pk, first_row)
  )`,
  `ALTER TABLE history_blocks ALTER COLUMN steps SET STORAGE EXTERNAL`,
  // Finds the blocks compaction has yet to rewrite as text (pg-history-compaction.ts).
  `CREATE INDEX history_blocks_packed ON history_blocks (run_pk, first_row) WHERE packed`,
  `DO $$ BEGIN
     ALTER TABLE history_blocks ALTER COLUMN body SET COMPRESSION lz4;
     ALTER TABLE series_chunks ALTER COLUMN x_data SET COMPRESSION lz4, ALTER COLUMN y_data SET COMPRESSION lz4;
     ALTER TABLE series_rollups ALTER COLUMN units SET COMPRESSION lz4;
   EXCEPTION WHEN OTHERS THEN NULL;
   END $$`,
  // Islands of consecutive rows (row_index − its rank is constant along one), cut every 1,000 rows.
  `INSERT INTO history_blocks (run_pk, first_row, row_count, min_step, max_step, steps, body, packed, sum)
   SELECT run_pk, first_row, row_count, min_step, max_step, steps, body, false,
     decode(md5(int8send(first_row) || int4send(row_count) || float8send(min_step) ||
       float8send(max_step) || '\\x00'::bytea || steps || body), 'hex')
   FROM (
     SELECT run_pk, MIN(row_index) AS first_row, COUNT(*)::integer AS row_count,
       MIN(step)::float8 AS min_step, MAX(step)::float8 AS max_step,
       string_agg(float8send(step::float8), ''::bytea ORDER BY row_index) AS steps,
       convert_to(string_agg(body, E'\\n' ORDER BY row_index), 'UTF8') AS body
     FROM (
       SELECT run_pk, row_index, step, body,
         row_index - row_number() OVER (PARTITION BY run_pk ORDER BY row_index) AS island
       FROM history_rows
     ) numbered
     GROUP BY run_pk, island, row_index / 1000
   ) blocks`,
  `DROP TABLE history_rows`,
];
