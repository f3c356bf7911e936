/**
 * One run, fetched and kept fresh: re-read every 2 s while it is running. Local edits (an
 * optimistic name, tags, notes) bump a version, and saves in flight are counted, so that a poll
 * which started before an edit, or answers while a save is pending, cannot put the old value back.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { RunDto, RunRef } from "@stepwise/protocol";
import { getRun } from "../../api/client.js";

/** How often a running run is re-read (the issue asks for live updates within 2 s). */
export const RUN_POLL_MS = 2000;

export interface RunResource {
  run: RunDto | null;
  /** The first load's failure (the page shows it instead of the run). */
  error: unknown;
  /** A later refresh's failure while the last good run stays on screen. */
  refreshError: unknown;
  reload: () => void;
  /** Changes the run on screen now (an optimistic edit or the server's answer to one). */
  setLocal: (update: (run: RunDto) => RunDto) => void;
  /** Runs `save` with polls held back until it settles. */
  whileSaving: <T>(save: () => Promise<T>) => Promise<T>;
}

export function useRun(ref: RunRef): RunResource {
  const [run, setRun] = useState<RunDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const version = useRef(0);
  const saving = useRef(0);
  const { entity, project, runId } = ref;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    const load = async (): Promise<void> => {
      const started = version.current;
      try {
        const next = await getRun({ entity, project, runId }, controller.signal);
        if (controller.signal.aborted) return;
        loaded = true;
        if (started === version.current && saving.current === 0) setRun(next);
        setError(null);
        setRefreshError(null);
        if (next.state === "running") timer = setTimeout(() => void load(), RUN_POLL_MS);
      } catch (cause) {
        if (controller.signal.aborted) return;
        if (!loaded) {
          setError(cause);
          return;
        }
        // A running run's page keeps trying: a server restart should not freeze it.
        setRefreshError(cause);
        timer = setTimeout(() => void load(), RUN_POLL_MS);
      }
    };
    // A different run (or a retry) must not show the previous answer while it loads.
    setRun(null);
    setError(null);
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [entity, project, runId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setLocal = useCallback((update: (run: RunDto) => RunDto) => {
    version.current++;
    setRun((current) => (current === null ? current : update(current)));
  }, []);
  const whileSaving = useCallback(async <T>(save: () => Promise<T>): Promise<T> => {
    saving.current++;
    try {
      return await save();
    } finally {
      saving.current--;
    }
  }, []);
  return { run, error, refreshError, reload, setLocal, whileSaving };
}
