/**
 * Probes the server (`GET /api/v1/viewer`, any HTTP answer counts) every few seconds while it
 * answers and with backoff while it does not (lib/server-reachability.ts); returns the banner
 * text, or null while the server answers. Probes pause while the tab is hidden.
 */
import { apiPaths } from "@stepwise/protocol";
import { useEffect, useState } from "react";
import {
  afterProbe,
  isNetworkFailure,
  REACHABLE,
  unreachableMessage,
} from "../../lib/server-reachability.js";

/** A probe slower than this counts as no answer: a stopped server may hold the connection. */
const PROBE_TIMEOUT_MS = 5000;

export function useServerReachability(): string | null {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    let state = REACHABLE;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const probe = async (): Promise<void> => {
      if (document.visibilityState === "hidden") return schedule();
      let answered = true;
      try {
        await fetch(apiPaths.viewer(), { cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      } catch (error) {
        // A timeout aborts with a TimeoutError: no answer, like a refused connection.
        answered = !(
          isNetworkFailure(error) ||
          (error instanceof DOMException && error.name === "TimeoutError")
        );
      }
      if (stopped) return;
      state = afterProbe(state, answered, Date.now());
      setMessage(unreachableMessage(state, window.location.origin));
      schedule();
    };
    const schedule = (): void => {
      timer = setTimeout(() => void probe(), Math.max(0, state.nextProbeAt - Date.now()));
    };
    state = afterProbe(REACHABLE, true, Date.now());
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return message;
}
