/**
 * The runs to compare, fetched one by one with `getRun` (in parallel). A run that cannot be read
 * is reported by its id, and the others are still compared.
 */
import { useEffect, useState } from "react";
import type { RunDto } from "@stepwise/protocol";
import { ApiError, getRun } from "../../api/client.js";

export interface RunFailure {
  runId: string;
  message: string;
}

export interface CompareRuns {
  /** Null until every run has answered. */
  runs: RunDto[] | null;
  failures: RunFailure[];
}

export function useCompareRuns(entity: string, project: string, runIds: readonly string[]): CompareRuns {
  const [state, setState] = useState<CompareRuns>({ runs: null, failures: [] });
  const key = runIds.join(",");

  useEffect(() => {
    const controller = new AbortController();
    const ids = key === "" ? [] : key.split(",");
    setState({ runs: null, failures: [] });
    void Promise.allSettled(ids.map((runId) => getRun({ entity, project, runId }, controller.signal))).then(
      (results) => {
        if (controller.signal.aborted) return;
        const runs: RunDto[] = [];
        const failures: RunFailure[] = [];
        results.forEach((result, i) => {
          const runId = ids[i] ?? "";
          if (result.status === "fulfilled") runs.push(result.value);
          else failures.push({ runId, message: describe(result.reason, entity, project, runId) });
        });
        setState({ runs, failures });
      },
    );
    return () => controller.abort();
  }, [entity, project, key]);

  return state;
}

function describe(cause: unknown, entity: string, project: string, runId: string): string {
  if (cause instanceof ApiError && cause.status === 404) {
    return `Run "${runId}" does not exist in ${entity}/${project}.`;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return `Run "${runId}" could not be read: ${message}`;
}
