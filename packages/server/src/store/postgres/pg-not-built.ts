/**
 * The parts of the Store not built yet on PostgreSQL: every method answers with a clear error
 * naming the part, instead of a wrong answer. Alerts are the exception: the PostgreSQL store
 * records none (pg-ingest-port.ts keeps the `alert` meta lines only), so "no alerts, nothing
 * due" is the true answer there and the server's delivery loop runs without errors.
 */
import { StepwiseError } from "@stepwise/protocol";
import type { AlertStore } from "../alert-store.js";

export class NotBuiltOnPostgresError extends StepwiseError {
  constructor(part: string) {
    super(
      "INVALID_DATA",
      `${part} is not built yet on the PostgreSQL store (docs/storage.md, "PostgreSQL"); use the embedded SQLite store for it`,
    );
  }
}

/**
 * An object of which every method rejects with NotBuiltOnPostgresError naming `part`; the
 * optional members named in `absent` are undefined (the routes refuse what a backend lacks).
 */
export function notBuilt<T extends object>(part: string, absent: readonly string[] = []): T {
  return new Proxy({} as T, {
    get: (_, property) =>
      property === "then" || absent.includes(String(property))
        ? undefined
        : () => Promise.reject(new NotBuiltOnPostgresError(`${part} (${String(property)})`)),
  });
}

export const noAlerts: AlertStore = {
  dispatchNew: () => Promise.resolve(0),
  dueDeliveries: () => Promise.resolve([]),
  recordAttempt: () => Promise.reject(new NotBuiltOnPostgresError("alert delivery")),
  listAlerts: () => Promise.resolve([]),
};
