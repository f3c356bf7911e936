/**
 * Loads of a media panel that can be called off. What is fetched ahead of need (the items and
 * images of the positions beside the one shown) goes in rounds, one per position, at low
 * priority: a round whose position is no longer beside the slider is called off. What a step
 * shows is called off when the slider leaves that step before it arrived (a drag over 50 steps
 * asks for the last, not for the 49 it passed). Called off means its requests, still queued or
 * in flight, are aborted, so that the step the user is on never waits behind them on the
 * browser's 6 connections; what had arrived stays cached.
 */

/** Whether a load failed because it was called off (not the server's or the file's fault). */
export function isAborted(cause: unknown): boolean {
  return cause instanceof DOMException && cause.name === "AbortError";
}

/** A cached load and the signal that can call it off (none: it runs to its end). */
export interface Cached<T> {
  promise: Promise<T>;
  signal: AbortSignal | undefined;
}

/**
 * A cached load joined by a caller with its own `signal`: when the load's owner called it off
 * meanwhile (the cache dropped it), `again()` asks anew for the caller, unless the caller's own
 * signal called it off too.
 */
export function joined<T>(
  entry: Cached<T>,
  signal: AbortSignal | undefined,
  again: () => Promise<T>,
): Promise<T> {
  if (entry.signal === undefined || entry.signal === signal) return entry.promise;
  return entry.promise.catch((cause: unknown) => {
    if (isAborted(cause) && signal?.aborted !== true) return again();
    throw cause;
  });
}
