/**
 * The ingest port (ingest/ingest-port.ts) on PostgreSQL. `withRun` is one READ COMMITTED
 * transaction: the run row is read `FOR UPDATE`, so two batches to one run (from two servers)
 * take turns; for a run the database does not hold, an advisory lock on the project serialises
 * creation there, and the run is read again under it (the other creator may have just
 * committed it) before the project's runs are counted — all of it one server-side function
 * (pg-schema.ts, migration 2) sent with BEGIN — so ordinals are unique and gap-free,
 * and the (entity, project, ordinal) unique index backs that up. `work` (synchronous: the
 * shared ingest core decides) records its writes; they are sent after it returns, each kind as
 * one multi-row statement, and committed with the run before `withRun` resolves.
 *
 * History rows go in blocks, text or packed as they came (pg-history-blocks.ts). Rich values (media
 * index, key kinds, histograms, table versions) and `alert` records go to their tables in the
 * same transaction (pg-media-writes.ts).
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store.js";
import type { IngestPort, RunSnapshot, RunWrites } from "../../ingest/ingest-port.js";
import { transaction } from "./pg-database.js";
import { insertRun, insertRunSql, runFromRow, saveRunSql, type RunRow } from "./pg-run-table.js";
import { RichWrites } from "./pg-media-writes.js";
import { appendSeries, type SeriesAppend } from "./pg-series-writer.js";
import { toPgText } from "./pg-nul-text.js";
import { PgBlockWrites } from "./pg-history-blocks.js";

type Work<T> = (snapshot: RunSnapshot, open: (run: StoredRun) => RunWrites) => T;

/** What one batch writes, recorded while the core decides. */
class BatchWrites {
  readonly lineIndexes: number[] = [];
  readonly lineStreams: string[] = [];
  readonly lineBodies: string[] = [];
  readonly consoleIndexes: number[] = [];
  readonly consoleBodies: string[] = [];
  readonly history = new PgBlockWrites();
  readonly series: SeriesAppend[] = [];
  readonly rich = new RichWrites();
  saved: StoredRun | null = null;

  writes(): RunWrites {
    return {
      line: (stream, index, text) => {
        this.lineStreams.push(stream);
        this.lineIndexes.push(index);
        this.lineBodies.push(text);
      },
      consoleLine: (index, text) => {
        this.consoleIndexes.push(index);
        this.consoleBodies.push(toPgText(text));
      },
      alert: (index, record, replay, now) => this.rich.alert(index, record, replay, now),
      historyRows: () => this.history.textRows(),
      packedHistoryRows: (packed) => this.history.packedRows(packed),
      // The core may reuse its arrays after the call: keep copies.
      seriesPoints: (key, xs, ys) =>
        this.series.push({ key, xs: Float64Array.from(xs), ys: Float64Array.from(ys) }),
      richValues: (values) => this.rich.add(values),
      save: (run) => {
        this.saved = run;
      },
    };
  }

  /** Nothing recorded besides the run itself. */
  get empty(): boolean {
    return (
      this.lineIndexes.length === 0 &&
      this.consoleIndexes.length === 0 &&
      this.history.empty &&
      this.series.length === 0 &&
      this.rich.empty
    );
  }

  async send(client: pg.PoolClient, pk: number): Promise<void> {
    if (this.lineIndexes.length > 0)
      await client.query(
        `INSERT INTO stream_lines (run_pk, stream, line_index, body)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[])`,
        [pk, this.lineStreams, this.lineIndexes, this.lineBodies],
      );
    if (this.consoleIndexes.length > 0)
      await client.query(
        `INSERT INTO stream_lines (run_pk, stream, line_index, body)
         SELECT $1, 'console', * FROM unnest($2::bigint[], $3::text[])
         ON CONFLICT (run_pk, stream, line_index) DO UPDATE SET body = excluded.body`,
        [pk, this.consoleIndexes, this.consoleBodies],
      );
    if (!this.history.empty) await this.history.send(client, pk);
    if (this.series.length > 0) await appendSeries(client, pk, this.series);
    await this.rich.send(client, pk);
  }
}

export class PgIngestPort implements IngestPort {
  constructor(private readonly pool: pg.Pool) {}

  withRun<T>(ref: RunRef, work: Work<T>): Promise<T> {
    // BEGIN and the run's opening (migration 2's stepwise_open_run: the row FOR UPDATE, or, for a
    // new run, the project's creation lock, a second look and the run count) in one round trip.
    const open = (client: pg.PoolClient): string =>
      `SELECT * FROM stepwise_open_run(${[ref.entity, ref.project, ref.runId].map((v) => client.escapeLiteral(v)).join(", ")})`;
    return transaction(
      this.pool,
      async (client, first, last) => {
        const row = first[0] as { project_runs: number; run: RunRow | null } | undefined;
        if (row === undefined) throw new Error("stepwise_open_run answered no row");
        const found = row.run === null ? null : { pk: row.run.pk, run: runFromRow(row.run) };
        const projectRuns = row.project_runs;
        const snapshot: RunSnapshot = found ? { run: found.run, projectRuns: 0 } : { run: null, projectRuns };
        const batch = new BatchWrites();
        let opened = false;
        const result = work(snapshot, () => {
          opened = true;
          return batch.writes();
        });
        if (!opened) return result;
        const saved = batch.saved ?? null;
        if (found === null && saved === null) throw new Error("ingest opened a new run without saving it");
        // The run's row goes with COMMIT when nothing follows it (one round trip fewer).
        if (found === null && batch.empty) {
          last(insertRunSql(client, saved as StoredRun));
          return result;
        }
        const pk = found ? found.pk : await insertRun(client, saved as StoredRun);
        await batch.send(client, pk);
        if (found && saved) last(saveRunSql(client, pk, saved));
        return result;
      },
      "READ COMMITTED",
      open,
    );
  }
}
