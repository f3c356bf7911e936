/**
 * The fleet lock (fleet/fleet-lock.ts) on PostgreSQL: session-level advisory locks
 * (`pg_try_advisory_lock`) on one dedicated connection, apart from the store's pool, so a lock
 * lives exactly as long as that connection: a server that is killed, or cut off from the
 * database, gives its locks back with it and another server takes the job at its next tick.
 * Jobs with an interval also claim their turn in `fleet_jobs` (pg-schema-fleet.ts) by the
 * database's clock, so servers whose clocks or timers differ still run them once per interval.
 *
 * A lock lost while its job runs (the connection dropped) lets another server start the job
 * meanwhile: every job is safe to run twice at once (each store write is its own transaction);
 * the lock saves the work, it does not guard correctness.
 */
import { hostname } from "node:os";
import pg from "pg";
import type { FleetJob, FleetLock } from "../../fleet/fleet-lock.js";

/** Connecting, and each lock query, give up after this long (a database that hangs). */
const TIMEOUT_MS = 10_000;
/** Advisory lock keys are 64-bit; this prefix keeps the jobs' apart from other advisory locks. */
const KEY_PREFIX = "stepwise-fleet-job:";

export class PgFleetLock implements FleetLock {
  private connection: Promise<pg.Client> | null = null;
  private readonly running = new Set<FleetJob>();
  private readonly leading = new Set<FleetJob>();
  private readonly server = `${hostname()}:${process.pid}`;
  private closed = false;
  private drop: (() => void) | null = null;
  /** The last query sent on the connection: jobs tick independently, their queries take turns. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly log: (line: string) => void,
  ) {}

  async runExclusive(job: FleetJob, fn: () => Promise<unknown>, everyS?: number): Promise<boolean> {
    if (this.running.has(job) || this.closed) return false;
    this.running.add(job);
    try {
      const client = await this.locked(job);
      if (client === null) return false;
      try {
        if (everyS !== undefined && !(await this.claim(client, job, everyS).catch(() => false))) return false;
        await fn();
        if (everyS !== undefined) await this.finished(client, job);
        return true;
      } finally {
        await this.unlock(client, job);
      }
    } finally {
      this.running.delete(job);
    }
  }

  async lead(job: FleetJob): Promise<boolean> {
    if (this.closed) return false;
    if (this.leading.has(job)) return true;
    if ((await this.locked(job)) === null) return false;
    this.leading.add(job);
    this.log(`this server now runs ${job} for the fleet`);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    this.leading.clear();
    const client = await connection?.catch(() => null);
    await client?.end().catch(() => undefined);
  }

  /** The dedicated connection holding `job`'s lock now, or null when another server holds it. */
  private async locked(job: FleetJob): Promise<pg.Client | null> {
    try {
      const client = await this.connect();
      const { rows } = await this.ask<{ ok: boolean }>(
        client,
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [KEY_PREFIX + job],
      );
      return rows[0]?.ok === true ? client : null;
    } catch (error) {
      // A timed-out query leaves the connection unusable: start over with a new one.
      this.reset();
      this.log(`fleet lock for ${job} unavailable (skipped this round): ${messageOf(error)}`);
      return null;
    }
  }

  /** Takes the turn of a job due every `everyS` seconds; false when another server had it since. */
  private async claim(client: pg.Client, job: FleetJob, everyS: number): Promise<boolean> {
    const result = await this.ask(
      client,
      `INSERT INTO fleet_jobs AS f (job, started_at, finished_at, server)
       VALUES ($1, extract(epoch FROM clock_timestamp()), NULL, $3)
       ON CONFLICT (job) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL, server = $3
       WHERE f.started_at <= EXCLUDED.started_at - $2`,
      [job, everyS, this.server],
    );
    return result.rowCount === 1;
  }

  private async finished(client: pg.Client, job: FleetJob): Promise<void> {
    await this.ask(
      client,
      "UPDATE fleet_jobs SET finished_at = extract(epoch FROM clock_timestamp()) WHERE job = $1",
      [job],
    ).catch(() => undefined);
  }

  private async unlock(client: pg.Client, job: FleetJob): Promise<void> {
    // A failed unlock means the connection is gone or unusable: closing it frees its locks.
    await this.ask(client, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", [KEY_PREFIX + job]).catch(
      () => this.reset(),
    );
  }

  /**
   * `text` on the connection once the queries sent before it have answered: pg only queues a
   * query sent while another runs (deprecated, and gone in pg 9), and the timeout of a queued
   * query would run while it waits.
   */
  private ask<R extends pg.QueryResultRow = pg.QueryResultRow>(
    client: pg.Client,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const next = this.turn.then(() => client.query<R>(text, values));
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** Closes the connection (its locks go with it); the next tick connects again. */
  private reset(): void {
    this.drop?.();
  }

  private connect(): Promise<pg.Client> {
    if (this.connection !== null) return this.connection;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "stepwise-fleet-lock",
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      keepAlive: true,
    });
    const connection = client.connect().then(() => client);
    this.connection = connection;
    const drop = (): void => {
      if (this.connection !== connection) return;
      // The locks went with the connection: the next tick connects again and asks anew.
      this.connection = null;
      if (this.leading.size > 0)
        this.log(`lost the fleet lead of ${[...this.leading].join(", ")} (database connection closed)`);
      this.leading.clear();
      void client.end().catch(() => undefined);
    };
    this.drop = drop;
    client.on("error", drop);
    client.on("end", drop);
    connection.catch(drop);
    return connection;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
