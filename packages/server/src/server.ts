/**
 * Starts the Stepwise server on a validated config: opens the store and the file store under the
 * data directory, makes sure an admin key exists, serves the app, and sweeps silent runs to
 * `crashed`. `close()` stops accepting, lets in-flight requests finish, then closes the stores,
 * so nothing the server acknowledged is lost.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { LIMITS } from "@stepwise/protocol";
import { AlertDispatcher } from "./alerts/alert-dispatcher.js";
import { ArtifactRetentionJob } from "./artifact-retention-job.js";
import { ensureAdminKey } from "./auth/admin-key.js";
import { trustsLoopback } from "./auth/loopback.js";
import type { BlobStore } from "./blob/blob-store.js";
import type { GcReport } from "./blob/garbage-collector.js";
import { derivedFilesIn } from "./blob/derived-files.js";
import { GcScheduler } from "./blob/gc-scheduler.js";
import { openFileStore } from "./blob/open-file-store.js";
import { RunFileChannel } from "./blob/run-file-channel.js";
import type { ServerConfig } from "./config.js";
import { secureDataDir } from "./data-dir.js";
import { markedSinceStart } from "./database-marker.js";
import { openPostgresStore } from "./store/postgres/open-postgres-store.js";
import { PgFleetLock } from "./store/postgres/pg-fleet-lock.js";
import type { AppDeps } from "./http/app-env.js";
import { createApp } from "./http/create-app.js";
import { errorResponse } from "./http/error-response.js";
import { deliveredByLeader } from "./fleet/fleet-alerts.js";
import { LocalFleetLock, type FleetLock } from "./fleet/fleet-lock.js";
import { HistoryCompactor } from "./history-compactor.js";
import { createHttpServer } from "./http-server.js";
import { logWithoutRepeats } from "./log-without-repeats.js";
import { StaleRunSweeper } from "./stale-run-sweeper.js";
import { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
import type { Store } from "./store/store.js";
import { TableLibrary } from "./store/tables/table-library.js";

/** In-flight requests get this long to finish on close before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningServer extends AsyncDisposable {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  config: ServerConfig;
  /** Where the admin key is, or null when keys exist and the file was removed. */
  adminKeyPath: string | null;
  /** True when this start created the admin key and wrote its file (the first start). */
  adminKeyWritten: boolean;
  /** True when loopback requests without a key act as admin. */
  trustsLoopback: boolean;
  /**
   * Collects the file store's garbage now (as `--gc-interval` does periodically): blobs no run
   * file references and older than `graceS` (default 1 hour), unfinished uploads past expiry.
   */
  collectGarbage(options?: { graceS?: number }): Promise<GcReport>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where server messages go; default stderr. */
  log?: (line: string) => void;
  /** Unix seconds; default the wall clock. */
  now?: () => number;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = logWithoutRepeats(options.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const now = options.now ?? (() => Date.now() / 1000);
  const database = await secureDataDir(config.dataDir, log, config.database);
  const store =
    config.database === undefined
      ? await openSqliteStore(database)
      : await openPostgresStore(config.database);
  let blobs: BlobStore | null = null;
  // Several servers on one PostgreSQL database run each periodic job once (fleet/fleet-lock.ts).
  const fleet: FleetLock =
    config.database === undefined ? new LocalFleetLock() : new PgFleetLock(config.database, log);
  try {
    const fileStore = await openFileStore(config.dataDir, config.blobs, log);
    blobs = fileStore.blobs;
    const adminKey = await ensureAdminKey(store, config.dataDir, now());
    const compactor = new HistoryCompactor(store, log, fleet);
    const partBytes = Math.min(LIMITS.uploadPartBytes, config.maxBodyBytes);
    const files = new RunFileChannel(store, fileStore.blobs, config.maxFileBytes, partBytes, now);
    const tables = new TableLibrary(join(config.dataDir, "tables"), fileStore.blobs);
    // A freed blob's stored table is closed and removed with its thumbnails.
    const derived = derivedFilesIn(config.dataDir, (sha256) => tables.discard(sha256));
    // A SQLite server stops collecting once `stepwise migrate` marks its directory for PostgreSQL.
    const owner = config.database === undefined ? () => markedSinceStart(config.dataDir) : undefined;
    const gc = new GcScheduler(store, fileStore.blobs, config.gcIntervalS, now, log, derived, fleet, owner);
    const deps: AppDeps = {
      store,
      blobs: fileStore.blobs,
      files,
      urls: fileStore.urls,
      config,
      now,
      tables,
      onIngest: compactor.noteIngest,
    };
    const app = createApp(deps, log);
    const listener = getRequestListener(app.fetch, { errorHandler: (error) => errorResponse(error, log) });
    const server = createHttpServer(config, listener, log);
    await listen(server, config);
    const sweeper = new StaleRunSweeper(store, config.crashTimeoutS, now, log, fleet);
    sweeper.start();
    compactor.start();
    gc.start();
    // Versions a retention pass deletes are freed by a garbage collection right after it.
    const retentionConfig = config.artifactRetention ?? { intervalS: 0, policies: [] };
    const retention = new ArtifactRetentionJob(store, retentionConfig, now, log, () => gc.collect(), fleet);
    retention.start();
    const url = urlOf(server, config.host);
    const alertConfig = config.alerts ?? { destinations: [], timeoutS: 10, maxAttempts: 5, retryS: 2 };
    const alerts = new AlertDispatcher(
      deliveredByLeader(store.alerts, fleet),
      alertConfig,
      () => url,
      now,
      log,
    );
    alerts.start();
    if (adminKey.written) log(`Admin API key written to ${adminKey.path}`);
    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      // Stored tables close once the server has stopped taking requests.
      closing ??= shutdown(
        server,
        [retention, sweeper, compactor, gc, alerts],
        fleet,
        store,
        fileStore.blobs,
      ).finally(() => tables.close());
      return closing;
    };
    return {
      url,
      config,
      adminKeyPath: adminKey.path,
      adminKeyWritten: adminKey.written,
      trustsLoopback: trustsLoopback(config),
      collectGarbage: (options = {}) => gc.collect(options.graceS),
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await Promise.allSettled([store.close(), blobs?.close(), fleet.close()]);
    throw error;
  }
}

function listen(server: Server, config: ServerConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

async function shutdown(
  server: Server,
  background: ReadonlyArray<{ stop(): Promise<void> }>,
  fleet: FleetLock,
  store: Store,
  blobs: BlobStore,
): Promise<void> {
  await Promise.all(background.map((task) => task.stop()));
  await fleet.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections that go idle after their last response are closed as they do.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
  server.closeIdleConnections();
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
  await store.close();
  await blobs.close();
}
