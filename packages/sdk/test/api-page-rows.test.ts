/**
 * PageRows (what `Api.scanHistory` returns): the rows of a sequence of pages in order, empty
 * pages skipped, `next()` calls made without waiting for each other answered in order, an error
 * of the pages passed on after the rows before it, and a stop (`break`) that stops the pages.
 */
import { describe, expect, it } from "vitest";
import { PageRows } from "../src/api/page-rows.js";

async function* pagesOf(
  pages: number[][],
  log: string[] = [],
  failAt = -1,
): AsyncGenerator<number[], void, undefined> {
  try {
    for (let i = 0; i < pages.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i === failAt) throw new Error("stream dropped");
      yield pages[i] as number[];
    }
  } finally {
    log.push("pages stopped");
  }
}

describe("PageRows", () => {
  it("gives every row of every page in order, skipping empty pages", async () => {
    const rows: number[] = [];
    for await (const row of new PageRows(pagesOf([[1, 2], [], [3], [4, 5, 6]]))) rows.push(row);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("answers next() calls made together in order, each row once", async () => {
    const iterator = new PageRows(pagesOf([[1], [2, 3], [], [4]]));
    const results = await Promise.all(Array.from({ length: 6 }, () => iterator.next()));
    expect(results.map((result) => (result.done === true ? "done" : result.value))).toEqual([
      1,
      2,
      3,
      4,
      "done",
      "done",
    ]);
  });

  it("passes an error of the pages on after the rows before it", async () => {
    const rows: number[] = [];
    const scan = async (): Promise<void> => {
      for await (const row of new PageRows(pagesOf([[1, 2], [3]], [], 1))) rows.push(row);
    };
    await expect(scan()).rejects.toThrow("stream dropped");
    expect(rows).toEqual([1, 2]);
  });

  it("stops the pages when the caller stops early", async () => {
    const log: string[] = [];
    const rows: number[] = [];
    for await (const row of new PageRows(
      pagesOf(
        [
          [1, 2],
          [3, 4],
        ],
        log,
      ),
    )) {
      rows.push(row);
      if (row === 3) break;
    }
    expect(rows).toEqual([1, 2, 3]);
    expect(log).toEqual(["pages stopped"]);
  });
});
