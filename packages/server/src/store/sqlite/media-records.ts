/**
 * The media index: one row per media item of a history value (media-entries.ts), keyed by
 * (run, key, step, row, item), so "key k of these runs at or near step s" is two index probes
 * per run and a range read, never a history scan. Rows are written by the rich values hook in
 * the batch's transaction; the run file an item points at is joined at read time, so a file
 * that arrives before or after its row is found either way.
 */
import type Database from "better-sqlite3";
import type { MediaType, StepMatch } from "@stepwise/protocol";
import { mediaEntries, type MediaEntry, type MediaFileEntry } from "../../domain/media/media-entries.js";
import type { ProjectRef, StoredMediaItem, StoredMediaRun, StoredMediaSteps } from "../media-store.js";
import type { RichValue, RichValueExtension } from "./rich-value-hook.js";

interface ItemRow {
  step: number;
  item_index: number;
  type: string;
  value_type: string;
  path: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
  width: number | null;
  height: number | null;
  caption: string | null;
  detail: string | null;
  file_sha256: string | null;
  file_size: number | null;
}

interface Detail {
  masks?: MediaFileEntry[];
  boxes?: MediaFileEntry[];
  extra?: MediaEntry["extra"];
}

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
  private readonly itemsAt: Database.Statement<[RunParams & { step: number }], ItemRow>;
  private readonly itemsIn: Database.Statement<
    [RunParams & { min: number; max: number; limit: number }],
    ItemRow
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
    for (const { key, step, rowIndex, value } of values) {
      for (const e of mediaEntries(value)) {
        const detail: Detail = {};
        if (e.masks.length > 0) detail.masks = e.masks;
        if (e.boxes.length > 0) detail.boxes = e.boxes;
        if (Object.keys(e.extra).length > 0) detail.extra = e.extra;
        const text = Object.keys(detail).length > 0 ? JSON.stringify(detail) : null;
        // prettier-ignore
        this.insert.run(runPk, key, step, rowIndex, e.index, e.type, e.valueType, e.path, e.sha256, e.size,
          e.format, e.width, e.height, e.caption, text);
      }
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
        return { runId, found: true, step, items: items.map((r) => toItem(runId, key, r)), nextStep: null };
      }
      const { min, max, limit } = range ?? { min: 0, max: Number.MAX_SAFE_INTEGER, limit: 1000 };
      const rows = this.itemsIn.all({ ...params, min, max, limit: limit + 1 });
      // Cut at a step boundary so a step's items are never split over two answers.
      let nextStep: number | null = null;
      if (rows.length > limit) {
        nextStep = (rows[limit] as ItemRow).step;
        while (rows.length > 0 && (rows[rows.length - 1] as ItemRow).step === nextStep) rows.pop();
        // One step with more items than the limit: answer that step whole-limit, go on past it.
        if (rows.length === 0) {
          const cut = this.itemsIn.all({ ...params, min: nextStep, max: nextStep, limit });
          return {
            runId,
            found: true,
            step: null,
            items: cut.map((r) => toItem(runId, key, r)),
            nextStep: nextStep + 1,
          };
        }
      }
      return { runId, found: true, step: null, items: rows.map((r) => toItem(runId, key, r)), nextStep };
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
    if (match === "before") return before;
    if (match === "exact") return before === step ? step : null;
    if (before === step) return step;
    const after = this.atOrAfter.get(pk, key, step)?.step ?? null;
    if (match === "after") return after;
    if (before === null) return after;
    if (after === null) return before;
    // A tie takes the earlier step.
    return step - before <= after - step ? before : after;
  }
}

function toItem(runId: string, key: string, r: ItemRow): StoredMediaItem {
  const detail = r.detail === null ? {} : (JSON.parse(r.detail) as Detail);
  return {
    runId,
    key,
    step: r.step,
    index: r.item_index,
    type: r.type as MediaType,
    valueType: r.value_type,
    path: r.path,
    sha256: r.sha256,
    size: r.size,
    format: r.format,
    width: r.width,
    height: r.height,
    caption: r.caption,
    masks: detail.masks ?? [],
    boxes: detail.boxes ?? [],
    extra: detail.extra ?? {},
    file: r.file_sha256 === null ? null : { sha256: r.file_sha256, size: r.file_size ?? 0 },
  };
}
