/**
 * A database outage as a retryable refusal: the pool's connections (pg-database.ts) are of this
 * class, whose `connect` and `query` turn the failures of an unreachable, restarting or
 * shutting-down PostgreSQL into StepwiseError UNAVAILABLE, which the HTTP layer answers 503 with
 * Retry-After (http/error-response.ts) instead of 500 "please report it": an outage is not a
 * bug, and the SDK retries a 503 (a re-sent batch is applied once). SQL errors pass unchanged.
 * Connecting gives up after CONNECT_TIMEOUT_MS, so a request waits that long at most for a
 * database that does not answer, rather than forever (pg's default); and a connection lost
 * between queries no longer ends the server process.
 */
import pg from "pg";
import { StepwiseError } from "@stepwise/protocol";

const CONNECT_TIMEOUT_MS = 10_000;

/** Socket failures of the connection to the database. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** SQLSTATEs of a server that is going away or not ready: admin/crash shutdown, starting up, full. */
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
/** pg's own messages for a connection that ended or never came up. */
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/** `error` as UNAVAILABLE when it says the database is unreachable; otherwise unchanged. */
export function asOutage(error: unknown): Error {
  if (!isOutage(error)) return error instanceof Error ? error : new Error(String(error));
  const reason = error instanceof Error && error.message !== "" ? error.message : String(error);
  const outage = new StepwiseError(
    "UNAVAILABLE",
    `the database is unavailable (${reason}); retry in a few seconds (a re-sent batch is applied once)`,
  );
  outage.cause = error;
  return outage;
}

function isOutage(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isOutage);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08")))
    return true;
  return CONNECTION_LOST.test(error.message);
}

type Callback = (error: unknown, result?: unknown) => void;
/** pg's own methods, called on the subclass's instances. */
const base = pg.Client.prototype as unknown as {
  query: (this: pg.Client, ...args: unknown[]) => unknown;
  connect: (this: pg.Client, callback?: Callback) => unknown;
};
const baseQuery = base.query;
const baseConnect = base.connect;

/** pg's Client with outages translated (both the promise and the callback forms pg-pool uses). */
export class OutageAwareClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    const options = typeof config === "string" ? { connectionString: config } : (config ?? {});
    super({ ...options, connectionTimeoutMillis: options.connectionTimeoutMillis ?? CONNECT_TIMEOUT_MS });
    // A connection that dies while checked out of the pool but between queries (PostgreSQL
    // restarted) emits 'error' with no pool listener attached: unhandled, it ended the process.
    // Its next query fails instead ("not queryable"), which is answered UNAVAILABLE.
    this.on("error", () => undefined);
  }

  /** A lost connection's 'error' event carries UNAVAILABLE too: pg-pool's query() rejects with it. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    return event === "error" ? super.emit(event, asOutage(args[0])) : super.emit(event, ...args);
  }
}

Object.assign(OutageAwareClient.prototype, {
  query(this: pg.Client, ...args: unknown[]): unknown {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: unknown, result?: unknown) =>
        (callback as Callback)(error && asOutage(error), result);
      return baseQuery.apply(this, args);
    }
    const result = baseQuery.apply(this, args);
    return result instanceof Promise
      ? result.catch((error: unknown) => Promise.reject(asOutage(error)))
      : result;
  },
  connect(this: pg.Client, callback?: Callback): unknown {
    if (callback !== undefined) return baseConnect.call(this, (error) => callback(error && asOutage(error)));
    return (baseConnect.call(this) as Promise<unknown>).catch((error: unknown) =>
      Promise.reject(asOutage(error)),
    );
  },
});
