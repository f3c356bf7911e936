/**
 * The series keys of runs a page at a time: per run, the next `limit + 1` keys after the cursor
 * that contain the search text, straight from the (run_pk, key) index, merged. The keys of one
 * run are never all read unless the search must look at each of them, so a run with 100,000
 * keys answers its first page in a few milliseconds.
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import { compareCodePoints } from "../../domain/code-point-order.js";
import type { SeriesKeyList, SeriesKeysPage } from "../store.js";
import type { SeriesSource } from "./series-source.js";

export class SeriesKeys {
  // lower() and the search text are folded alike (ASCII letters only, SQLite's default).
  private readonly page: Database.Statement<[number, string, string, number], { key: string }>;

  constructor(
    db: Database.Database,
    private readonly source: SeriesSource,
  ) {
    this.page = db.prepare(
      `SELECT key FROM series WHERE run_pk = ? AND key > ? AND instr(lower(key), lower(?)) > 0
       ORDER BY key LIMIT ?`,
    );
  }

  list(runs: readonly RunRef[], page: SeriesKeysPage = {}): SeriesKeyList {
    const limit = page.limit ?? Number.MAX_SAFE_INTEGER;
    // SQLite's LIMIT is a 64-bit integer; -1 means none.
    const take = limit >= Number.MAX_SAFE_INTEGER ? -1 : limit + 1;
    const keys = new Set<string>();
    for (const ref of runs) {
      const run = this.source.runOf(ref);
      if (run === null) continue;
      for (const { key } of this.page.all(run.pk, page.after ?? "", page.search ?? "", take)) keys.add(key);
    }
    // SQLite orders TEXT by its UTF-8 bytes, which is code point order: the cursor compares alike.
    const sorted = [...keys].sort(compareCodePoints);
    return { keys: sorted.slice(0, limit), more: sorted.length > limit };
  }
}
