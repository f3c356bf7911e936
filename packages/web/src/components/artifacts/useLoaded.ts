/**
 * One request's answer for a page: `load` runs when `key` changes (the previous one is aborted),
 * and `reload` runs it again. `data` keeps the last answer while a new one loads.
 */
import { useCallback, useEffect, useState } from "react";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
  /** Puts an answer in place without a request (a PUT's reply). */
  replace: (data: T) => void;
}

export function useLoaded<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    load(controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) setData(answer);
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setError(cause);
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `key` names what it loads.
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, reload, replace: setData };
}
