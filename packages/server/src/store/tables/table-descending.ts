/**
 * A page of a stored table sorted descending by one indexed column, ties in logged order
 * (`ORDER BY c DESC, rowid`), without sorting: the index is walked backwards
 * (`ORDER BY c DESC, rowid DESC`, which is the index's own order reversed), which gives the rows
 * of the page in the right runs of equal values but each run in reverse logged order. Runs wholly
 * inside the page are reversed back. The first run may have begun before the page: its rows are
 * read from the index in logged order (`c IS value ORDER BY rowid`), skipping those of the run
 * that came before the page (counted in the index: same value, later rowid); the last run
 * likewise from its start. A few index seeks whatever the depth — no order of the whole table.
 */
import type Database from "better-sqlite3";

type Value = number | string | null;

/** The page's rowids; null when the stored values could not be matched back (bigints). */
export function descendingPage(
  db: Database.Database,
  column: number,
  offset: number,
  limit: number,
): number[] | null {
  const c = `c${column}`;
  const from = `FROM t INDEXED BY i${column}`;
  const walked = db
    .prepare<[number, number], [Value, number]>(
      `SELECT ${c}, rowid ${from} ORDER BY ${c} DESC, rowid DESC LIMIT ? OFFSET ?`,
    )
    .raw()
    .all(limit, offset);
  const ties = db
    .prepare<[Value, number, number], number>(
      `SELECT rowid ${from} WHERE ${c} IS ? ORDER BY rowid LIMIT ? OFFSET ?`,
    )
    .pluck();
  const out: number[] = [];
  for (let i = 0; i < walked.length;) {
    const value = (walked[i] as [Value, number])[0];
    if (typeof value !== "number" && typeof value !== "string" && value !== null) return null;
    let end = i + 1;
    while (end < walked.length && (walked[end] as [Value, number])[0] === value) end++;
    if (i > 0 && end < walked.length) {
      // A whole run: its rows in logged order are the walked ones reversed.
      for (let k = end - 1; k >= i; k--) out.push((walked[k] as [Value, number])[1]);
    } else {
      const before =
        i === 0
          ? Number(
              db
                .prepare(`SELECT count(*) ${from} WHERE ${c} IS ? AND rowid > ?`)
                .pluck()
                .get(value, (walked[0] as [Value, number])[1]),
            )
          : 0;
      const rowids = ties.all(value, end - i, before);
      if (rowids.length !== end - i) return null;
      out.push(...rowids);
    }
    i = end;
  }
  return out;
}
