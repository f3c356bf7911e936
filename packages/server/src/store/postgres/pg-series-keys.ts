/**
 * The series keys of runs a page at a time on PostgreSQL: per run, the next `limit + 1` keys
 * after the cursor that contain the search text, from the (run_pk, key) index (key is
 * COLLATE "C": byte order of UTF-8, which is code point order), merged in code point order.
 * The search folds ASCII letters only, as SQLite's lower() does (lower() under "C" does too).
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import { compareCodePoints } from "../../domain/code-point-order.js";
import type { SeriesKeyList, SeriesKeysPage } from "../store.js";
import { runPk } from "./pg-run-table.js";

export async function listSeriesKeys(
  pool: pg.Pool,
  runs: readonly RunRef[],
  page: SeriesKeysPage = {},
): Promise<SeriesKeyList> {
  const limit = page.limit ?? Number.MAX_SAFE_INTEGER;
  const take = limit >= Number.MAX_SAFE_INTEGER ? null : limit + 1;
  const keys = new Set<string>();
  for (const ref of runs) {
    const run = await runPk(pool, ref);
    if (run === null) continue;
    const { rows } = await pool.query<{ key: string }>(
      `SELECT key FROM series WHERE run_pk = $1 AND key > $2 AND strpos(lower(key), lower($3 COLLATE "C")) > 0
       ORDER BY key LIMIT $4`,
      [run.pk, page.after ?? "", page.search ?? "", take],
    );
    for (const { key } of rows) keys.add(key);
  }
  const sorted = [...keys].sort(compareCodePoints);
  return { keys: sorted.slice(0, limit), more: sorted.length > limit };
}
