/**
 * The config and summary paths the filter, add-column and group-by inputs offer
 * (`summary.val/acc.max`): the runs listing carries only the table's paths, so the paths come
 * from the project's newest SAMPLE_RUNS runs listed whole, asked for once an input wants them
 * (its first focus), not with the page: a run may hold 100,000 keys (megabytes to list).
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { RunDto } from "@stepwise/protocol";
import { listRuns } from "../../api/client.js";
import { columnSuggestions } from "../../lib/column-suggestions.js";

/** Runs whose paths are offered: the newest, as the table lists them first. */
export const SAMPLE_RUNS = 200;

export interface PathSuggestions {
  /** `config.…` and `summary.…` paths; empty until wanted and loaded. */
  all: string[];
  /** The `config.…` paths alone (grouping). */
  config: string[];
  /** Asks for the paths (once per project; again after a failure). */
  want: () => void;
}

export function usePathSuggestions(entity: string, project: string): PathSuggestions {
  const [wanted, setWanted] = useState(false);
  const [runs, setRuns] = useState<RunDto[] | null>(null);
  useEffect(() => {
    setWanted(false);
    setRuns(null);
  }, [entity, project]);
  useEffect(() => {
    if (!wanted || runs !== null) return;
    const controller = new AbortController();
    listRuns(entity, project, { limit: SAMPLE_RUNS }, controller.signal).then(
      (page) => setRuns(page.runs),
      () => setWanted(false),
    );
    return () => controller.abort();
  }, [wanted, runs, entity, project]);
  const all = useMemo(() => (runs === null ? [] : columnSuggestions(runs, ["config", "summary"])), [runs]);
  const config = useMemo(() => all.filter((path) => path.startsWith("config.")), [all]);
  const want = useCallback(() => setWanted(true), []);
  return { all, config, want };
}
