/**
 * The uploader's timings and limits, with their defaults. Tests and operators shorten the
 * heartbeat (STEPWISE_HEARTBEAT_S), sync's patience (STEPWISE_SYNC_GIVE_UP_S) and the live-file poll (STEPWISE_FILE_POLL_S); the rest are fixed by what the server accepts.
 */
export interface UploadTuning {
  /** An empty batch is sent after this long without a request (default 15 s, as sdk.md says). */
  heartbeatMs: number;
  /** While data flows, a batch goes out at least this often (default 1 s). */
  flushIntervalMs: number;
  /** How often an idle uploader looks for new records in the log (default 100 ms). */
  pollMs: number;
  backoffBaseMs: number;
  /** Longest delay between retries (default 30 s). */
  backoffCapMs: number;
  /** History rows per batch (default 10,000). */
  maxBatchRows: number;
  /** Approximate encoded bytes per batch before compression (default 4 MiB). */
  maxBatchBytes: number;
  requestTimeoutMs: number;
  /** `stepwise sync` gives a run up after this long without reaching the server (default 30 s; STEPWISE_SYNC_GIVE_UP_S). */
  syncGiveUpMs: number;
  /** How often live-policy files are checked for changes (default 2 s; STEPWISE_FILE_POLL_S). */
  filePollMs: number;
}

export function resolveUploadTuning(env: Record<string, string | undefined> = process.env): UploadTuning {
  const seconds = (name: string, fallback: number): number => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value * 1000 : fallback;
  };
  return {
    heartbeatMs: seconds("STEPWISE_HEARTBEAT_S", 15_000),
    flushIntervalMs: 1000,
    pollMs: 100,
    backoffBaseMs: 500,
    backoffCapMs: 30_000,
    maxBatchRows: 10_000,
    maxBatchBytes: 4 * 1024 * 1024,
    requestTimeoutMs: 60_000,
    syncGiveUpMs: seconds("STEPWISE_SYNC_GIVE_UP_S", 30_000),
    filePollMs: seconds("STEPWISE_FILE_POLL_S", 2000),
  };
}
