/**
 * The series keys the charted runs have logged (POST /series/keys), so that a key only the
 * summary holds (`run.summary.set("best", …)`) gets no empty chart. A page of KEY_PAGE keys at
 * first (a run may log 100,000), more on `loadMore`; when the first page does not hold every key,
 * a search text is asked of the server (a page of the keys that contain it) instead of being
 * applied to the page alone. Refetched when the runs or the search change and every
 * LIVE_POLL_MS while one is running (a new metric gets its chart). `keys` is `null` until the
 * first answer; after a failure, `undefined`: the charts then fall back to the summary's keys.
 */
import { useCallback, useEffect, useState } from "react";
import { SERIES_KEYS_MAX_LIMIT, type RunRef } from "@stepwise/protocol";
import { listSeriesKeys } from "../../api/client.js";
import { LIVE_POLL_MS } from "./useSeries.js";

/** Keys asked for at first, and added by each `loadMore`: ~40 sections of charts. */
export const KEY_PAGE = 2_000;

export interface SeriesKeys {
  keys: readonly string[] | null | undefined;
  /** The server has keys after these (for this search, if `searched`). */
  more: boolean;
  /** `keys` answer the search text (the unsearched list was incomplete). */
  searched: boolean;
  /** Asks for KEY_PAGE more keys (up to SERIES_KEYS_MAX_LIMIT in all). */
  loadMore: (() => void) | null;
}

interface Listing {
  keys: readonly string[] | null | undefined;
  more: boolean;
  /** The search these keys answer, `null` for none. */
  search: string | null;
}

export function useSeriesKeys(runs: readonly RunRef[], live: boolean, search: string | null): SeriesKeys {
  const [listing, setListing] = useState<Listing>({ keys: null, more: false, search: null });
  const [limit, setLimit] = useState(KEY_PAGE);
  const runsKey = runs.map((r) => `${r.entity}/${r.project}/${r.runId}`).join(",");
  // Every key fits the unsearched list: the search is the page's to apply, never the server's.
  const unsearchedComplete = listing.search === null && Array.isArray(listing.keys) && !listing.more;
  const asked = search === null || search === "" || unsearchedComplete ? null : search;

  useEffect(() => setLimit(KEY_PAGE), [runsKey, asked]);
  useEffect(() => {
    if (runs.length === 0) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await listSeriesKeys(
          { runs: [...runs], limit, ...(asked === null ? {} : { search: asked }) },
          controller.signal,
        );
        const more = answer.nextCursor !== null;
        setListing((known) =>
          known.search === asked &&
          known.more === more &&
          Array.isArray(known.keys) &&
          same(known.keys, answer.keys)
            ? known
            : { keys: answer.keys, more, search: asked },
        );
      } catch {
        if (controller.signal.aborted) return;
        setListing((known) => (known.keys === null ? { ...known, keys: undefined } : known));
      }
      if (live && !controller.signal.aborted) timer = setTimeout(() => void load(), LIVE_POLL_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // runsKey stands for `runs`: a new array with the same runs must not refetch.
  }, [runsKey, live, asked, limit]);

  const canLoadMore = listing.more && limit < SERIES_KEYS_MAX_LIMIT;
  const loadMore = useCallback(() => setLimit((l) => Math.min(SERIES_KEYS_MAX_LIMIT, l + KEY_PAGE)), []);
  return {
    keys: listing.keys,
    more: listing.more,
    searched: listing.search !== null,
    loadMore: canLoadMore ? loadMore : null,
  };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}
