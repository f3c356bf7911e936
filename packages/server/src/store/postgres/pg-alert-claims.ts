/**
 * Claims on alert deliveries, so that of several servers on one database one tries a delivery
 * at a time: a claim is a session advisory lock on (alert, destination), held on a connection
 * of its own from the moment `dueDeliveries` answers the delivery until its try is logged
 * (`recordAttempt`). A server that dies loses its connection and with it its claims, at once —
 * no lease to wait out, no try cut short taken over while it runs. The connection is opened on
 * the first claim (only a server that delivers holds one) and closed with the store; if it
 * breaks, its claims are gone and the next claim opens another.
 *
 * A claim is re-checked after it is taken: the delivery may have been tried and logged by the
 * server that held it just before (its log committed, then its lock released), and must then
 * not be tried again.
 */
import type pg from "pg";

export interface DeliveryKey {
  alertId: number;
  destination: string;
}

/** The advisory lock key of a delivery, in SQL: namespaced so it never meets another lock's. */
const LOCK_KEY = `hashtextextended('stepwise-alert-delivery:' || k.id || ':' || k.destination, 0)`;

export class PgAlertClaims {
  private client: pg.PoolClient | null = null;
  /** Deliveries this server holds, by `id:destination`. */
  private readonly held = new Set<string>();
  /**
   * The last claim or release: deliveries run concurrently, and their queries take turns on the
   * one connection (pg only queues a query sent while another runs — deprecated, gone in pg 9 —
   * and two first claims at once would each open a connection).
   */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {}

  /**
   * Of `keys` (due when read), those this server now holds: held already, or newly locked;
   * the others are being tried by another server.
   */
  claim(keys: readonly DeliveryKey[]): Promise<DeliveryKey[]> {
    return this.inTurn(() => this.claimNow(keys));
  }

  /** Gives up claims (a try logged, or a claim found stale by its re-check). */
  release(keys: readonly DeliveryKey[]): Promise<void> {
    return this.inTurn(() => this.releaseNow(keys));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async claimNow(keys: readonly DeliveryKey[]): Promise<DeliveryKey[]> {
    if (keys.length === 0) return [];
    const client = await this.connection();
    const fresh = keys.filter((k) => !this.held.has(name(k)));
    if (fresh.length === 0) return [...keys];
    const { rows } = await client.query<{ id: number; destination: string }>(
      `SELECT k.id, k.destination FROM unnest($1::bigint[], $2::text[]) AS k (id, destination)
       WHERE pg_try_advisory_lock(${LOCK_KEY})`,
      [fresh.map((k) => k.alertId), fresh.map((k) => k.destination)],
    );
    for (const row of rows) this.held.add(name({ alertId: row.id, destination: row.destination }));
    return keys.filter((k) => this.held.has(name(k)));
  }

  private async releaseNow(keys: readonly DeliveryKey[]): Promise<void> {
    const mine = keys.filter((k) => this.held.delete(name(k)));
    if (mine.length === 0 || this.client === null) return;
    await this.client.query(
      `SELECT pg_advisory_unlock(${LOCK_KEY}) FROM unnest($1::bigint[], $2::text[]) AS k (id, destination)`,
      [mine.map((k) => k.alertId), mine.map((k) => k.destination)],
    );
  }

  /** Ends the claims' connection, and with it every claim. */
  close(): void {
    this.drop(undefined);
  }

  private async connection(): Promise<pg.PoolClient> {
    if (this.client !== null) return this.client;
    const client = await this.pool.connect();
    // A broken connection has lost its locks: forget them with it.
    client.on("error", (error) => this.drop(error));
    this.client = client;
    return client;
  }

  private drop(error: Error | undefined): void {
    const client = this.client;
    this.client = null;
    this.held.clear();
    // Destroyed, not returned to the pool: its session (and its locks) must end.
    client?.release(error ?? true);
  }
}

function name(key: DeliveryKey): string {
  return `${key.alertId}:${key.destination}`;
}
