/**
 * The series keys the charted runs have logged (POST /series/keys), so that a key only the
 * summary holds (`run.summary.set("best", …)`) gets no empty chart. Refetched when the runs
 * change and every LIVE_POLL_MS while one is running (a new metric gets its chart). `null`
 * until the first answer; after a failure, `undefined`: the charts then fall back to the
 * summary's keys rather than showing none.
 */
import { useEffect, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import { listSeriesKeys } from "../../api/client.js";
import { LIVE_POLL_MS } from "./useSeries.js";

export function useSeriesKeys(
  runs: readonly RunRef[],
  live: boolean,
): ReadonlySet<string> | null | undefined {
  const [keys, setKeys] = useState<ReadonlySet<string> | null | undefined>(null);
  const runsKey = runs.map((r) => `${r.entity}/${r.project}/${r.runId}`).join(",");

  useEffect(() => {
    if (runs.length === 0) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await listSeriesKeys([...runs], controller.signal);
        setKeys((known) => (known && sameKeys(known, answer) ? known : new Set(answer)));
      } catch {
        if (controller.signal.aborted) return;
        setKeys((known) => known ?? undefined);
      }
      if (live && !controller.signal.aborted) timer = setTimeout(() => void load(), LIVE_POLL_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // runsKey stands for `runs`: a new array with the same runs must not refetch.
  }, [runsKey, live]);

  return keys;
}

function sameKeys(known: ReadonlySet<string>, answer: readonly string[]): boolean {
  return known.size === answer.length && answer.every((key) => known.has(key));
}
