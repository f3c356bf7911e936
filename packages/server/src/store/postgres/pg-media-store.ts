/**
 * The media index and key kinds read back on PostgreSQL (media-store.ts): by run, key and step
 * from `media_items` (the run file an item points at joined at read time, so a file that
 * arrives before or after its row is found either way), and the kinds each key held from
 * `key_kinds`, numbers from `series`. Which step a query picks and where a range is cut are
 * the shared rules of store/media-rows.ts; unknown runs are answered `found: false`.
 */
import type pg from "pg";
import type { StepMatch } from "@stepwise/protocol";
import {
  cutMediaRange,
  MAX_LISTED_KEYS,
  mediaItem,
  pickMediaStep,
  type MediaItemRow,
} from "../media-rows.js";
import type {
  ProjectRef,
  StoredKeyKind,
  StoredMediaRun,
  StoredMediaSteps,
  StoreMediaQuery,
} from "../media-store.js";

const ITEM_COLUMNS = `m.step, m.item_index, m.type, m.value_type, m.path, m.sha256, m.size, m.format,
  m.width, m.height, m.caption, m.detail, f.sha256 AS file_sha256, f.size AS file_size`;
// $1 run pk, $2 key, $3–$5 the run's entity, project and id (for its files).
const ITEMS_OF = `FROM media_items m LEFT JOIN run_files f
  ON f.entity = $3 AND f.project = $4 AND f.run_id = $5 AND f.path = m.path
  WHERE m.run_pk = $1 AND m.key = $2`;

interface KindRow {
  key: string;
  kind: string;
  runs: number;
  count: number;
  first_step: number | null;
  last_step: number | null;
}

const KIND_COLUMNS = `key, kind, COUNT(*) AS runs, SUM(count)::bigint AS count,
  MIN(first_step) AS first_step, MAX(last_step) AS last_step`;

export class PgMediaStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Per run: the items at the step `match` picks, or (with `range`) the items in the range. */
  async queryMedia(project: ProjectRef, query: StoreMediaQuery): Promise<StoredMediaRun[]> {
    const pks = await this.pksOf(project, query.runIds);
    const out: StoredMediaRun[] = [];
    for (const runId of query.runIds) {
      const pk = pks.get(runId);
      if (pk === undefined) out.push({ runId, found: false, step: null, items: [], nextStep: null });
      else out.push(await this.runMedia(project, runId, pk, query));
    }
    return out;
  }

  private async runMedia(
    project: ProjectRef,
    runId: string,
    pk: number,
    query: StoreMediaQuery,
  ): Promise<StoredMediaRun> {
    const { key } = query;
    const run = [pk, key, project.entity, project.project, runId];
    const items = async (sql: string, params: unknown[]): Promise<MediaItemRow[]> =>
      (await this.pool.query<MediaItemRow>(`SELECT ${ITEM_COLUMNS} ${ITEMS_OF} ${sql}`, [...run, ...params]))
        .rows;
    if (query.at !== undefined) {
      const step = await this.pickStep(pk, key, query.at.step, query.at.match);
      const rows =
        step === null ? [] : await items("AND m.step = $6 ORDER BY m.row_index, m.item_index", [step]);
      return { runId, found: true, step, items: rows.map((r) => mediaItem(runId, key, r)), nextStep: null };
    }
    const { min, max, limit } = query.range ?? { min: 0, max: Number.MAX_SAFE_INTEGER, limit: 1000 };
    const inRange = "AND m.step BETWEEN $6 AND $7 ORDER BY m.step, m.row_index, m.item_index LIMIT $8";
    const cut = cutMediaRange(await items(inRange, [min, max, limit + 1]), limit);
    if ("oneStep" in cut) {
      // One step with more items than the limit: that step, limit items, then on past it.
      const rows = await items(inRange, [cut.oneStep, cut.oneStep, limit]);
      const list = rows.map((r) => mediaItem(runId, key, r));
      return { runId, found: true, step: null, items: list, nextStep: cut.oneStep + 1 };
    }
    const list = cut.rows.map((r) => mediaItem(runId, key, r));
    return { runId, found: true, step: null, items: list, nextStep: cut.nextStep };
  }

  private async pickStep(pk: number, key: string, step: number, match: StepMatch): Promise<number | null> {
    const { rows } = await this.pool.query<{ before: number | null; after: number | null }>(
      `SELECT (SELECT MAX(step) FROM media_items WHERE run_pk = $1 AND key = $2 AND step <= $3) AS before,
              (SELECT MIN(step) FROM media_items WHERE run_pk = $1 AND key = $2 AND step >= $3) AS after`,
      [pk, key, step],
    );
    const row = rows[0];
    return pickMediaStep(step, match, row?.before ?? null, row?.after ?? null);
  }

  async listMediaSteps(
    project: ProjectRef,
    key: string,
    runIds: readonly string[],
  ): Promise<StoredMediaSteps[]> {
    const pks = await this.pksOf(project, runIds);
    const out: StoredMediaSteps[] = [];
    for (const runId of runIds) {
      const pk = pks.get(runId);
      if (pk === undefined) {
        out.push({ runId, found: false, steps: [], counts: [] });
        continue;
      }
      const { rows } = await this.pool.query<{ step: number; n: number }>(
        "SELECT step, COUNT(*) AS n FROM media_items WHERE run_pk = $1 AND key = $2 GROUP BY step ORDER BY step",
        [pk, key],
      );
      out.push({ runId, found: true, steps: rows.map((r) => r.step), counts: rows.map((r) => r.n) });
    }
    return out;
  }

  /**
   * Kinds of the given keys (numbers included) over the runs (null: every run of the project);
   * without keys, every key that held a value other than a number (up to MAX_LISTED_KEYS, in
   * code point order), numbers included.
   */
  async listKeyKinds(
    project: ProjectRef,
    runIds: readonly string[] | null,
    keys: readonly string[] | null,
  ): Promise<StoredKeyKind[]> {
    const pks =
      runIds === null
        ? (
            await this.pool.query<{ pk: number }>("SELECT pk FROM runs WHERE entity = $1 AND project = $2", [
              project.entity,
              project.project,
            ])
          ).rows.map((r) => r.pk)
        : [...(await this.pksOf(project, runIds)).values()];
    if (pks.length === 0) return [];
    const rich =
      keys === null
        ? await this.pool.query<KindRow>(
            `SELECT ${KIND_COLUMNS} FROM key_kinds WHERE run_pk = ANY($1::bigint[])
             AND key IN (SELECT DISTINCT key FROM key_kinds WHERE run_pk = ANY($1::bigint[]) ORDER BY key LIMIT $2)
             GROUP BY key, kind ORDER BY key, kind`,
            [pks, MAX_LISTED_KEYS],
          )
        : await this.pool.query<KindRow>(
            `SELECT ${KIND_COLUMNS} FROM key_kinds WHERE run_pk = ANY($1::bigint[]) AND key = ANY($2::text[])
             GROUP BY key, kind ORDER BY key, kind`,
            [pks, keys],
          );
    const wanted = keys ?? [...new Set(rich.rows.map((r) => r.key))];
    // First step: the first chunk's first x (steps rise in all but odd runs; good enough for an order).
    const numbers =
      wanted.length === 0
        ? []
        : (
            await this.pool.query<KindRow>(
              `SELECT s.key AS key, 'number' AS kind, COUNT(*) AS runs, SUM(s.point_count)::bigint AS count,
                 MIN((SELECT c.x_first FROM series_chunks c WHERE c.series_id = s.id AND c.chunk_index = 0)) AS first_step,
                 MAX(s.last_x) AS last_step
               FROM series s WHERE s.run_pk = ANY($1::bigint[]) AND s.key = ANY($2::text[])
               GROUP BY s.key ORDER BY s.key`,
              [pks, wanted],
            )
          ).rows;
    return [...rich.rows, ...numbers].map((r) => ({
      key: r.key,
      kind: r.kind,
      runs: r.runs,
      count: r.count,
      firstStep: r.first_step,
      lastStep: r.last_step,
    }));
  }

  private async pksOf(project: ProjectRef, runIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ pk: number; run_id: string }>(
      "SELECT pk, run_id FROM runs WHERE entity = $1 AND project = $2 AND run_id = ANY($3::text[])",
      [project.entity, project.project, runIds],
    );
    return new Map(rows.map((r) => [r.run_id, r.pk]));
  }
}
