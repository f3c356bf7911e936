/**
 * What a batch derives from its rich values and `alert` meta records on PostgreSQL, recorded
 * while the shared ingest core decides (RunWrites.richValues / .alert, pg-ingest-port.ts) and
 * sent inside the batch's transaction, each table as one multi-row statement: the media index,
 * key kinds, histograms, table versions (rows from store/media-rows.ts and structured-rows.ts,
 * as SQLite stores them) and alerts. The core hands over only rows and records the run did not
 * hold (a re-sent batch brings none), and a batch refused for a gap opens no writes, so a
 * re-send adds nothing and a refused batch leaves nothing.
 *
 * A statement's rows must not hit one key twice (ON CONFLICT … DO UPDATE refuses that), so rows
 * of one batch with the same key are merged first, the last one winning as SQLite's INSERT OR
 * REPLACE does.
 */
import type pg from "pg";
import type { AlertRecord } from "@stepwise/protocol";
import type { RichValue } from "../../ingest/rich-values.js";
import { isLateAlert } from "../alert-store.js";
import { keyKindTallies, mediaRows } from "../media-rows.js";
import { histogramRows, tableVersionRows } from "../structured-rows.js";

interface AlertWrite {
  index: number;
  record: AlertRecord;
  late: boolean;
  now: number;
}

export class RichWrites {
  private readonly values: RichValue[] = [];
  private readonly alerts: AlertWrite[] = [];

  add(values: readonly RichValue[]): void {
    for (const value of values) this.values.push(value);
  }

  /** An alert of the batch; late when replayed by `stepwise sync` or received long after it was raised. */
  alert(index: number, record: AlertRecord, replay: boolean, now: number): void {
    this.alerts.push({ index, record, late: isLateAlert(record, replay, now), now });
  }

  get empty(): boolean {
    return this.values.length === 0 && this.alerts.length === 0;
  }

  async send(client: pg.PoolClient, pk: number): Promise<void> {
    if (this.values.length > 0) {
      await media(client, pk, this.values);
      await keyKinds(client, pk, this.values);
      await histograms(client, pk, this.values);
      await tables(client, pk, this.values);
    }
    if (this.alerts.length > 0) await alerts(client, pk, this.alerts);
  }
}

async function media(client: pg.PoolClient, pk: number, values: readonly RichValue[]): Promise<void> {
  const rows = lastPerKey(mediaRows(values), (r) => [r.key, r.step, r.rowIndex, r.index]);
  if (rows.length === 0) return;
  // prettier-ignore
  const cols = columns(rows, (r) => [r.key, r.step, r.rowIndex, r.index, r.type, r.valueType, r.path, r.sha256,
    r.size, r.format, r.width, r.height, r.caption, r.detail]);
  await client.query(
    `INSERT INTO media_items (run_pk, key, step, row_index, item_index, type, value_type, path, sha256,
       size, format, width, height, caption, detail)
     SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::bigint[], $11::text[], $12::int[], $13::int[], $14::text[], $15::text[])
     ON CONFLICT (run_pk, key, step, row_index, item_index) DO UPDATE SET type = excluded.type,
       value_type = excluded.value_type, path = excluded.path, sha256 = excluded.sha256,
       size = excluded.size, format = excluded.format, width = excluded.width,
       height = excluded.height, caption = excluded.caption, detail = excluded.detail`,
    [pk, ...cols],
  );
}

async function keyKinds(client: pg.PoolClient, pk: number, values: readonly RichValue[]): Promise<void> {
  const tallies = keyKindTallies(values);
  if (tallies.length === 0) return;
  await client.query(
    `INSERT INTO key_kinds (run_pk, key, kind, count, first_step, last_step)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
     ON CONFLICT (run_pk, key, kind) DO UPDATE SET count = key_kinds.count + excluded.count,
       first_step = LEAST(key_kinds.first_step, excluded.first_step),
       last_step = GREATEST(key_kinds.last_step, excluded.last_step)`,
    [pk, ...columns(tallies, (t) => [t.key, t.kind, t.count, t.first, t.last])],
  );
}

async function histograms(client: pg.PoolClient, pk: number, values: readonly RichValue[]): Promise<void> {
  const rows = lastPerKey(histogramRows(values), (r) => [r.key, r.step]);
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO histograms (run_pk, key, step, bins, lo, hi, edges, counts)
     SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::int[], $5::float8[], $6::float8[], $7::bytea[], $8::bytea[])
     ON CONFLICT (run_pk, key, step) DO UPDATE SET bins = excluded.bins, lo = excluded.lo,
       hi = excluded.hi, edges = excluded.edges, counts = excluded.counts`,
    [pk, ...columns(rows, (r) => [r.key, r.step, r.bins, r.lo, r.hi, r.edges, r.counts])],
  );
}

async function tables(client: pg.PoolClient, pk: number, values: readonly RichValue[]): Promise<void> {
  const rows = lastPerKey(tableVersionRows(values), (r) => [r.key, r.step]);
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO table_versions (run_pk, key, step, path, sha256, nrows, ncols)
     SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
     ON CONFLICT (run_pk, key, step) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,
       nrows = excluded.nrows, ncols = excluded.ncols`,
    [pk, ...columns(rows, (r) => [r.key, r.step, r.path, r.sha256, r.rows, r.columns])],
  );
}

async function alerts(client: pg.PoolClient, pk: number, writes: readonly AlertWrite[]): Promise<void> {
  // prettier-ignore
  const cols = columns(writes, (a) => [a.index, a.record.title, a.record.text, a.record.level, a.record.step,
    a.record.time, a.now, a.late]);
  await client.query(
    `INSERT INTO alerts (run_pk, meta_index, title, body, level, step, raised_at, received_at, late)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
       $7::float8[], $8::float8[], $9::boolean[])
     ON CONFLICT (run_pk, meta_index) DO NOTHING`,
    [pk, ...cols],
  );
}

/** The rows with distinct keys, each the last of its key, in the order of their last appearance. */
function lastPerKey<R>(rows: readonly R[], key: (row: R) => ReadonlyArray<string | number>): R[] {
  const byKey = new Map<string, R>();
  for (const row of rows) {
    const k = JSON.stringify(key(row));
    byKey.delete(k);
    byKey.set(k, row);
  }
  return [...byKey.values()];
}

/** Rows as columns (unnest's parameters). */
function columns<R>(rows: readonly R[], fields: (row: R) => readonly unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (const row of rows) {
    const values = fields(row);
    values.forEach((value, c) => (out[c] ??= []).push(value));
  }
  return out;
}
