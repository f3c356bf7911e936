/**
 * The run's file list, read once for the whole run page (the files table and the quarantine
 * warning both use it) and again when the run's state changes, since finishing writes files.
 */
import { useCallback, useEffect, useState } from "react";
import type { FileDto, RunRef, RunState } from "@stepwise/protocol";
import { listFiles } from "../../api/client.js";

export interface RunFiles {
  /** Sorted by path; null until the first answer. */
  files: FileDto[] | null;
  error: unknown;
  retry: () => void;
}

/** `state` undefined (the run not loaded yet) fetches nothing. */
export function useRunFiles(ref: RunRef, state: RunState | undefined): RunFiles {
  const [files, setFiles] = useState<FileDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const { entity, project, runId } = ref;

  useEffect(() => {
    if (state === undefined) return;
    const controller = new AbortController();
    listFiles({ entity, project, runId }, controller.signal).then(
      (list) => {
        setFiles([...list].sort((a, b) => a.path.localeCompare(b.path)));
        setError(null);
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setError(cause);
      },
    );
    return () => controller.abort();
  }, [entity, project, runId, state, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { files, error, retry };
}
