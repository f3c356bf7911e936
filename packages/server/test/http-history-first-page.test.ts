/**
 * The history export's first page: read once before the answer (its damage thrown then), and
 * continued by the writer from the same scan, not read again; later calls scan anew.
 */
import { describe, expect, it } from "vitest";
import { withFirstPage } from "../src/http/history/first-page.js";

/** A scan over `pages` that counts how often it is opened and how many pages it produced. */
function countingScan(pages: string[][], failAt: number | null = null) {
  const counts = { opened: 0, read: 0, stopped: 0 };
  const scan = async function* (): AsyncGenerator<string[]> {
    counts.opened++;
    try {
      for (const [i, page] of pages.entries()) {
        await Promise.resolve();
        if (i === failAt) throw new Error(`page ${i} is damaged`);
        counts.read++;
        yield page;
      }
    } finally {
      counts.stopped++;
    }
  };
  return { scan, counts };
}

async function collect(pages: AsyncIterable<string[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const PAGES = [["a", "b"], ["c"], ["d", "e"]];

describe("withFirstPage", () => {
  it("reads the first page once: the writer's scan continues it and gets every page", async () => {
    const { scan, counts } = countingScan(PAGES);
    const scanFor = await withFirstPage(scan);
    expect(counts).toEqual({ opened: 1, read: 1, stopped: 0 });
    expect(await collect(scanFor())).toEqual(PAGES);
    expect(counts).toEqual({ opened: 1, read: 3, stopped: 1 });
  });

  it("scans anew on a later call (the second pass of CSV and Parquet)", async () => {
    const { scan, counts } = countingScan(PAGES);
    const scanFor = await withFirstPage(scan);
    expect(await collect(scanFor())).toEqual(PAGES);
    expect(await collect(scanFor())).toEqual(PAGES);
    expect(counts).toEqual({ opened: 2, read: 6, stopped: 2 });
  });

  it("throws damage in the first page before anything is handed on", async () => {
    const { scan } = countingScan(PAGES, 0);
    await expect(withFirstPage(scan)).rejects.toThrow("page 0 is damaged");
  });

  it("ends the writer's scan with damage further on, after the pages before it", async () => {
    const { scan } = countingScan(PAGES, 2);
    const pages = (await withFirstPage(scan))();
    const got: string[][] = [];
    await expect(
      (async () => {
        for await (const page of pages) got.push(page);
      })(),
    ).rejects.toThrow("page 2 is damaged");
    expect(got).toEqual(PAGES.slice(0, 2));
  });

  it("stops the scan when the writer stops early", async () => {
    const { scan, counts } = countingScan(PAGES);
    for await (const page of (await withFirstPage(scan))()) {
      expect(page).toEqual(PAGES[0]);
      break;
    }
    expect(counts).toEqual({ opened: 1, read: 1, stopped: 1 });
  });
});
