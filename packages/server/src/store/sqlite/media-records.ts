/**
 * The media index: one row per media item of a history value (media-entries.ts), keyed by
 * (run, key, step, row, item), so "key k of these runs at or near step s" is two index probes
 * per run and a range read, never a history scan. Rows are written by the rich values hook in
 * the batch's transaction; the run file an item points at is joined at read time, so a file
 * that arrives before or after its row is found either way. The rows and the rules of a query
 * (which step, where a range is cut) are store/media-rows.ts, shared with PostgreSQL.
 */
import type Database from "better-sqlite3";
import type { StepMatch } from "@stepwise/protocol";
import { cutMediaRange, mediaItem, mediaRows, pickMediaStep, type MediaItemRow } from "../media-rows.js";
import type { ProjectRef, StoredMediaRun, StoredMediaSteps } from "../media-store.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

interface RunParams {
  entity: string;
  project: string;
  runId: string;
  key: string;
}
type N = number | null;
type S = string | null;
type InsertParams = [number, string, number, number, number, string, string, string, S, N, S, N, N, S, S];

const ITEM_COLUMNS = `m.step, m.item_index, m.type, m.value_type, m.path, m.sha256, m.size, m.format,
  m.width, m.height, m.caption, m.detail, f.sha256 AS file_sha256, f.size AS file_size`;
const ITEMS_OF = `FROM runs r JOIN media_items m ON m.run_pk = r.pk AND m.key = @key
  LEFT JOIN run_files f ON f.entity = @entity AND f.project = @project AND f.run_id = @runId AND f.path = m.path
  WHERE r.entity = @entity AND r.project = @project AND r.run_id = @runId`;

export class MediaRecords implements RichValueExtension {
  private readonly insert: Database.Statement<InsertParams>;
  private readonly runPk: Database.Statement<[string, string, string], { pk: number }>;
  private readonly projectRuns: Database.Statement<[string, string], { pk: number }>;
  private readonly atOrBefore: Database.Statement<[number, string, number], { step: number | null }>;
  private readonly atOrAfter: Database.Statement<[number, string, number], { step: number | null }>;
  private readonly itemsAt: Database.Statement<[RunParams & { step: number }], MediaItemRow>;
  private readonly itemsIn: Database.Statement<
    [RunParams & { min: number; max: number; limit: number }],
    MediaItemRow
  >;
  private readonly steps: Database.Statement<[number, string], { step: number; n: number }>;

  private readonly clear: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.clear = db.prepare("DELETE FROM media_items WHERE run_pk = ?");
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO media_items (run_pk, key, step, row_index, item_index, type, value_type,
         path, sha256, size, format, width, height, caption, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.runPk = db.prepare("SELECT pk FROM runs WHERE entity = ? AND project = ? AND run_id = ?");
    this.projectRuns = db.prepare("SELECT pk FROM runs WHERE entity = ? AND project = ?");
    this.atOrBefore = db.prepare(
      "SELECT MAX(step) AS step FROM media_items WHERE run_pk = ? AND key = ? AND step <= ?",
    );
    this.atOrAfter = db.prepare(
      "SELECT MIN(step) AS step FROM media_items WHERE run_pk = ? AND key = ? AND step >= ?",
    );
    this.itemsAt = db.prepare(
      `SELECT ${ITEM_COLUMNS} ${ITEMS_OF} AND m.step = @step ORDER BY m.row_index, m.item_index`,
    );
    this.itemsIn = db.prepare(
      `SELECT ${ITEM_COLUMNS} ${ITEMS_OF} AND m.step BETWEEN @min AND @max
       ORDER BY m.step, m.row_index, m.item_index LIMIT @limit`,
    );
    this.steps = db.prepare(
      "SELECT step, COUNT(*) AS n FROM media_items WHERE run_pk = ? AND key = ? GROUP BY step ORDER BY step",
    );
  }

  clearRun(runPk: number): void {
    this.clear.run(runPk);
  }

  apply(runPk: number, values: readonly RichValue[]): void {
    for (const r of mediaRows(values)) {
      // prettier-ignore
      this.insert.run(runPk, r.key, r.step, r.rowIndex, r.index, r.type, r.valueType, r.path, r.sha256, r.size,
        r.format, r.width, r.height, r.caption, r.detail);
    }
  }

  /** Per run: the items at the step `match` picks, or (with `range`) the items in the range. */
  query(
    project: ProjectRef,
    key: string,
    runIds: readonly string[],
    at: { step: number; match: StepMatch } | undefined,
    range: { min: number; max: number; limit: number } | undefined,
  ): StoredMediaRun[] {
    return runIds.map((runId) => {
      const pk = this.runPk.get(project.entity, project.project, runId)?.pk;
      if (pk === undefined) return { runId, found: false, step: null, items: [], nextStep: null };
      const params: RunParams = { entity: project.entity, project: project.project, runId, key };
      if (at !== undefined) {
        const step = this.pickStep(pk, key, at.step, at.match);
        const items = step === null ? [] : this.itemsAt.all({ ...params, step });
        return {
          runId,
          found: true,
          step,
          items: items.map((r) => mediaItem(runId, key, r)),
          nextStep: null,
        };
      }
      const { min, max, limit } = range ?? { min: 0, max: Number.MAX_SAFE_INTEGER, limit: 1000 };
      const cut = cutMediaRange(this.itemsIn.all({ ...params, min, max, limit: limit + 1 }), limit);
      if ("oneStep" in cut) {
        // One step with more items than the limit: answer that step whole-limit, go on past it.
        const rows = this.itemsIn.all({ ...params, min: cut.oneStep, max: cut.oneStep, limit });
        const items = rows.map((r) => mediaItem(runId, key, r));
        return { runId, found: true, step: null, items, nextStep: cut.oneStep + 1 };
      }
      const items = cut.rows.map((r) => mediaItem(runId, key, r));
      return { runId, found: true, step: null, items, nextStep: cut.nextStep };
    });
  }

  listSteps(project: ProjectRef, key: string, runIds: readonly string[]): StoredMediaSteps[] {
    return runIds.map((runId) => {
      const pk = this.runPk.get(project.entity, project.project, runId)?.pk;
      if (pk === undefined) return { runId, found: false, steps: [], counts: [] };
      const rows = this.steps.all(pk, key);
      return { runId, found: true, steps: rows.map((r) => r.step), counts: rows.map((r) => r.n) };
    });
  }

  runPks(project: ProjectRef, runIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of runIds) {
      const pk = this.runPk.get(project.entity, project.project, id)?.pk;
      if (pk !== undefined) out.push(pk);
    }
    return out;
  }

  projectPks(project: ProjectRef): number[] {
    return this.projectRuns.all(project.entity, project.project).map((r) => r.pk);
  }

  private pickStep(pk: number, key: string, step: number, match: StepMatch): number | null {
    const before = match === "after" ? null : (this.atOrBefore.get(pk, key, step)?.step ?? null);
    const after =
      match === "before" || match === "exact" || before === step
        ? null
        : (this.atOrAfter.get(pk, key, step)?.step ?? null);
    return pickMediaStep(step, match, before, after);
  }
}
