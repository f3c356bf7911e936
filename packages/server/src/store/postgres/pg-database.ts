/**
 * The connection pool and transactions of the PostgreSQL store. bigint columns (counts, steps,
 * indexes) are read as JS numbers: every one of them is below 2^53 (LIMITS bound them), and the
 * Store hands out numbers. `transaction` runs `work` on one pooled connection between BEGIN and
 * COMMIT (ROLLBACK when it throws), retrying a serialization failure or deadlock, which
 * PostgreSQL may raise between two transactions that lock in different orders.
 */
import pg from "pg";
import { OutageAwareClient } from "./pg-fleet-outage.js";

const INT8_OID = 20;
const RETRIED_CODES = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 5;

/** Connections per pool by default: enough for overlapping requests, far below max_connections (100). */
export const DEFAULT_POOL_SIZE = 10;

/** pg's own parsers, but int8 (bigint, COUNT) as a JS number rather than a string. */
const typeParser = ((oid: number, format: "text" | "binary" = "text"): unknown =>
  oid === INT8_OID && format === "text"
    ? (text: string): number => Number(text)
    : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

export function openPool(url: string, max = DEFAULT_POOL_SIZE): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max,
    // An unreachable database answers UNAVAILABLE (503), not a bug's 500 (pg-fleet-outage.ts).
    Client: OutageAwareClient,
    types: { getTypeParser: typeParser },
  });
}

export type Isolation = "READ COMMITTED" | "REPEATABLE READ READ ONLY";

/**
 * Runs `work` in a transaction. With `first` (a statement without parameters: literals escaped
 * with `client.escapeLiteral`), BEGIN and it go to the server as one message, saving a round
 * trip, and `work` gets its rows; a statement `work` hands to `last` (the same kind) goes with
 * COMMIT, saving another.
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (
    client: pg.PoolClient,
    first: Array<Record<string, unknown>>,
    last: (sql: string) => void,
  ) => Promise<T>,
  isolation: Isolation = "READ COMMITTED",
  first?: (client: pg.PoolClient) => string,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      let rows: Array<Record<string, unknown>> = [];
      if (first === undefined) {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      } else {
        const results = (await client.query(
          `BEGIN ISOLATION LEVEL ${isolation}; ${first(client)}`,
        )) as unknown as Array<pg.QueryResult<Record<string, unknown>>>;
        rows = results[1]?.rows ?? [];
      }
      let final = "";
      const result = await work(client, rows, (sql) => (final = `${sql}; `));
      await client.query(`${final}COMMIT`);
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== "string" || !RETRIED_CODES.has(code)) throw error;
    } finally {
      client.release();
    }
  }
}

/** A value as an SQL literal for a statement without parameters (`first`/`last` above). */
export function literal(client: pg.PoolClient, value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `'${String(value)}'`;
  return client.escapeLiteral(value);
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(the configured PostgreSQL URL)";
  }
}
