/**
 * Synchronous better-sqlite3 work behind the async Store interface: the work runs at once and
 * its result, or its error, comes back as a settled promise (never a synchronous throw).
 */
/** Runs synchronous work and hands back its result, or its error, as a promise. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
