/**
 * Whether the server answers: the UI keeps showing what it loaded when the server stops, so it
 * must say that this data is no longer live. A probe that gets any HTTP answer (even 401 or 500)
 * reached the server; only a network failure (fetch rejects with a TypeError) counts as
 * unreachable. While unreachable, probes back off 1 s, 2 s, 4 s … up to 30 s; while reachable,
 * one probe every HEALTHY_PROBE_MS finds a stop.
 */

export const HEALTHY_PROBE_MS = 3000;
const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 30_000;

export interface Reachability {
  /** Consecutive failed probes; 0 while the server answers. */
  failures: number;
  /** When the next probe is due (ms, the clock the caller passes). */
  nextProbeAt: number;
}

export const REACHABLE: Reachability = { failures: 0, nextProbeAt: 0 };

/** Delay before the probe that follows `failures` consecutive failures (≥ 1). */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

/** The state after a probe at `now` that got an answer or a network failure. */
export function afterProbe(state: Reachability, answered: boolean, now: number): Reachability {
  if (answered) return { failures: 0, nextProbeAt: now + HEALTHY_PROBE_MS };
  const failures = state.failures + 1;
  return { failures, nextProbeAt: now + retryDelayMs(failures) };
}

/** A fetch rejection that means "no answer" (not an abort, not an HTTP error the server sent). */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof DOMException && error.name === "AbortError") return false;
  return error instanceof TypeError;
}

/** The banner's text; null while the server answers. */
export function unreachableMessage(state: Reachability, origin: string): string | null {
  return state.failures === 0 ? null : `The server at ${origin} is not reachable; retrying`;
}
