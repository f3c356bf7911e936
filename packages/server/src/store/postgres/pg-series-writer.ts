/**
 * Appending a batch's numeric points to column-wise series on PostgreSQL, inside the batch's
 * transaction (the run row is locked, so no other writer touches the run's series meanwhile).
 * The chunk and rollup layout and the append rule are the shared domain's (domain/series-tail.ts):
 * each series' open tail is restored from its stored rows — the open chunk and the last block of
 * each level, read for all of the batch's series in two queries — the points are appended, and
 * the chunks and blocks it hands back are upserted, each kind in one statement. Encoding of the
 * float columns is the SQLite store's (little-endian Float64, arithmetic x left out).
 */
import type pg from "pg";
import { BLOCK_UNITS, CHUNK_POINTS, MAX_LEVEL, unitSize } from "../../domain/series-levels.js";
import { SeriesTail } from "../../domain/series-tail.js";
import { decodeChunkX, encodeChunkX, fromBlob, toBlob } from "../sqlite/float-blob.js";

export interface SeriesAppend {
  key: string;
  xs: Float64Array;
  ys: Float64Array;
}

interface SeriesRow {
  id: number;
  key: string;
  point_count: number;
  sorted: boolean;
  last_x: number | null;
  rising: boolean;
  last_y: number | null;
}

export async function appendSeries(
  client: pg.PoolClient,
  runPk: number,
  appends: SeriesAppend[],
): Promise<void> {
  const keys = [...new Set(appends.map((a) => a.key))];
  const rows = new Map<string, SeriesRow>();
  const stored = await client.query<SeriesRow>(
    `SELECT id, key, point_count, sorted, last_x, rising, last_y FROM series WHERE run_pk = $1 AND key = ANY($2::text[])`,
    [runPk, keys],
  );
  for (const row of stored.rows) rows.set(row.key, row);
  const missing = keys.filter((k) => !rows.has(k));
  if (missing.length > 0) {
    const made = await client.query<SeriesRow>(
      `INSERT INTO series (run_pk, key, point_count, sorted, last_x, rising, last_y)
       SELECT $1, k, 0, true, NULL, true, NULL FROM unnest($2::text[]) AS k
       RETURNING id, key, point_count, sorted, last_x, rising, last_y`,
      [runPk, missing],
    );
    for (const row of made.rows) rows.set(row.key, row);
  }
  const tails = await restoreTails(client, [...rows.values()]);
  const chunks = new Map<string, [number, number, number, number, number, Buffer | null, Buffer]>();
  const blocks = new Map<string, [number, number, number, Buffer]>();
  for (const { key, xs, ys } of appends) {
    const id = (rows.get(key) as SeriesRow).id;
    const tail = tails.get(id) as SeriesTail;
    const writes = tail.append(xs, ys);
    // The writes are views into the tail, valid until its next append: copy them now.
    for (const chunk of writes.chunks) {
      const n = chunk.xs.length;
      const x = encodeChunkX(chunk.xs);
      chunks.set(`${id}:${chunk.index}`, [
        id,
        chunk.index,
        n,
        chunk.xs[0] as number,
        chunk.xs[n - 1] as number,
        x === null ? null : Buffer.from(x),
        Buffer.from(toBlob(chunk.ys)),
      ]);
    }
    for (const block of writes.blocks)
      blocks.set(`${id}:${block.level}:${block.index}`, [
        id,
        block.level,
        block.index,
        Buffer.from(toBlob(block.units)),
      ]);
  }
  // The float columns go packed into one binary parameter, each row cut out of it by offset and
  // length: as bytea[] the driver writes every blob as escaped hex into an array literal (twice
  // the bytes, and PostgreSQL parses it back), which cost as much as the rest of the batch.
  if (chunks.size > 0) {
    const [id, index, n, first, last, xData, yData] = columns([...chunks.values()], 7);
    const packed = packBlobs([...(xData as Array<Buffer | null>), ...(yData as Buffer[])]);
    const ys = chunks.size;
    await client.query(
      `INSERT INTO series_chunks (series_id, chunk_index, n, x_first, x_last, x_data, y_data)
       SELECT id, i, n, xf, xl, CASE WHEN xn < 0 THEN NULL ELSE substring($6::bytea FROM xo FOR xn) END,
         substring($6::bytea FROM yo FOR yn)
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::float8[], $5::float8[], $7::int[], $8::int[],
         $9::int[], $10::int[]) AS u (id, i, n, xf, xl, xo, xn, yo, yn)
       ON CONFLICT (series_id, chunk_index) DO UPDATE SET n = excluded.n, x_first = excluded.x_first,
         x_last = excluded.x_last, x_data = excluded.x_data, y_data = excluded.y_data`,
      [
        id,
        index,
        n,
        first,
        last,
        packed.data,
        packed.offsets.slice(0, ys),
        packed.lengths.slice(0, ys),
        packed.offsets.slice(ys),
        packed.lengths.slice(ys),
      ],
    );
  }
  if (blocks.size > 0) {
    const [id, level, index, units] = columns([...blocks.values()], 4);
    const packed = packBlobs(units as Buffer[]);
    await client.query(
      `INSERT INTO series_rollups (series_id, level, block_index, units)
       SELECT id, l, b, substring($4::bytea FROM o FOR n)
       FROM unnest($1::bigint[], $2::int[], $3::bigint[], $5::int[], $6::int[]) AS u (id, l, b, o, n)
       ON CONFLICT (series_id, level, block_index) DO UPDATE SET units = excluded.units`,
      [id, level, index, packed.data, packed.offsets, packed.lengths],
    );
  }
  const states = [...tails.entries()].map(([id, tail]) => [
    id,
    tail.count,
    tail.sorted,
    tail.lastX,
    tail.rising,
    tail.lastY,
  ]);
  await client.query(
    `UPDATE series SET point_count = u.c, sorted = u.s, last_x = u.lx, rising = u.r, last_y = u.ly
     FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::float8[], $5::boolean[], $6::float8[])
       AS u (id, c, s, lx, r, ly)
     WHERE series.id = u.id`,
    columns(states, 6),
  );
}

/** Each series' tail, from its open chunk and the last stored block of each level. */
async function restoreTails(client: pg.PoolClient, series: SeriesRow[]): Promise<Map<number, SeriesTail>> {
  const tails = new Map<number, SeriesTail>();
  const started = series.filter((s) => s.point_count > 0);
  for (const s of series) if (s.point_count === 0) tails.set(s.id, SeriesTail.empty());
  if (started.length === 0) return tails;
  const ids = started.map((s) => s.id);
  const open = await client.query<{
    series_id: number;
    n: number;
    x_first: number;
    x_last: number;
    x_data: Buffer | null;
    y_data: Buffer;
  }>(
    `SELECT c.series_id, c.n, c.x_first, c.x_last, c.x_data, c.y_data
     FROM unnest($1::bigint[], $2::bigint[]) AS o (id, chunk) JOIN series_chunks c
       ON c.series_id = o.id AND c.chunk_index = o.chunk`,
    [ids, started.map((s) => Math.floor(s.point_count / CHUNK_POINTS))],
  );
  const chunks = new Map(open.rows.map((r) => [r.series_id, r]));
  // Only the block each level appends to (the one SeriesTail.restore asks for), by primary key:
  // reading every level's last block with DISTINCT ON scanned all of a series' rollup rows, so a
  // batch cost grew with the series (a 10 M-point series has ~13,000 blocks).
  const wanted: [number[], number[], number[]] = [[], [], []];
  for (const s of started)
    for (let level = 1; level <= MAX_LEVEL && s.point_count > unitSize(level); level++) {
      wanted[0].push(s.id);
      wanted[1].push(level);
      wanted[2].push(Math.floor(s.point_count / (unitSize(level) * BLOCK_UNITS)));
    }
  const last = await client.query<{ series_id: number; level: number; block_index: number; units: Buffer }>(
    `SELECT r.series_id, r.level, r.block_index, r.units
     FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS o (id, level, block) JOIN series_rollups r
       ON r.series_id = o.id AND r.level = o.level AND r.block_index = o.block`,
    wanted,
  );
  const lastBlocks = new Map(last.rows.map((r) => [`${r.series_id}:${r.level}`, r]));
  for (const s of started) {
    const chunk = s.point_count % CHUNK_POINTS === 0 ? undefined : chunks.get(s.id);
    if (s.point_count % CHUNK_POINTS !== 0 && chunk === undefined)
      throw new Error(`series '${s.key}' lost its open chunk (stored count ${s.point_count})`);
    const state = {
      count: s.point_count,
      sorted: s.sorted,
      lastX: s.last_x,
      rising: s.rising,
      lastY: s.last_y,
    };
    const points = chunk && {
      xs: decodeChunkX(chunk.x_data, chunk.n, chunk.x_first, chunk.x_last),
      ys: fromBlob(chunk.y_data),
    };
    tails.set(
      s.id,
      SeriesTail.restore(state, points ?? null, (level, index) => {
        const block = lastBlocks.get(`${s.id}:${level}`);
        return block && block.block_index === index ? fromBlob(block.units) : null;
      }),
    );
  }
  return tails;
}

/** Rows as columns (unnest's parameters). */
function columns(rows: ReadonlyArray<readonly unknown[]>, width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let c = 0; c < width; c++) (out[c] as unknown[]).push(row[c]);
  return out;
}

/** Blobs as one Buffer with each one's 1-based offset and length (-1 for null), for substring. */
function packBlobs(blobs: ReadonlyArray<Buffer | null>): {
  data: Buffer;
  offsets: number[];
  lengths: number[];
} {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 1;
  for (const blob of blobs) {
    offsets.push(at);
    lengths.push(blob === null ? -1 : blob.length);
    at += blob?.length ?? 0;
  }
  return { data: Buffer.concat(blobs.filter((b): b is Buffer => b !== null)), offsets, lengths };
}
