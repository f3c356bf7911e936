/**
 * The server's configuration: defaults < environment < flags, validated once here and handed
 * to `startServer`. Nothing else in the server reads `process.env` or picks a path.
 */
import { resolve } from "node:path";
import { LIMITS, UsageError } from "@stepwise/protocol";
import { z } from "zod";
import { loadAlertConfig, type AlertConfigFlags, type AlertDeliveryConfig } from "./alerts/alert-config.js";
import {
  loadRetentionConfig,
  type RetentionConfigFlags,
  type RetentionScheduleConfig,
} from "./artifact-retention-config.js";
import { parseS3Location, s3Settings, type S3Settings } from "./blob/s3-location.js";

const MIB = 1024 * 1024;

export interface ServerConfig {
  /** TCP port; 0 picks a free one. Default 8080 (`--port`, `STEPWISE_PORT`). */
  port: number;
  /** Address to bind. Default 127.0.0.1 (`--host`, `STEPWISE_HOST`). */
  host: string;
  /** Absolute data directory (SQLite database, files, admin key). Default ./stepwise-data (`--data`, `STEPWISE_DATA_DIR`). */
  dataDir: string;
  /** A running run without traffic for this long is marked crashed. Default 60 (`STEPWISE_CRASH_TIMEOUT_S`). */
  crashTimeoutS: number;
  /** Largest request body as sent (compressed). Default 64 MiB (`STEPWISE_MAX_BODY_BYTES`). */
  maxBodyBytes: number;
  /** Largest request body after gzip decoding. Default 256 MiB (`STEPWISE_MAX_DECOMPRESSED_BYTES`). */
  maxDecompressedBytes: number;
  /**
   * Whether requests from loopback without a key act as admin. Default true; it only takes
   * effect when `host` is a loopback address (`--no-loopback-trust`, `STEPWISE_TRUST_LOOPBACK=0`).
   */
  trustLoopback: boolean;
  /**
   * Absolute directory of the built web UI (`index.html` + `assets/`), served for every path
   * outside `/api/`; null serves no UI (`/` then says how to build it). Default null here; the
   * CLI's `server` command defaults it to the `@stepwise/web` build (`--web-root`, `STEPWISE_WEB_ROOT`).
   */
  webRoot: string | null;
  /**
   * A client must send a request's headers within this long of starting it, else it gets 408
   * and its connection is closed (slowloris). Default 20 (`STEPWISE_HEADERS_TIMEOUT_S`).
   */
  headersTimeoutS: number;
  /** A client must send a whole request, body included, within this long. Default 300 (`STEPWISE_REQUEST_TIMEOUT_S`). */
  requestTimeoutS: number;
  /**
   * A connection on which nothing moves for this long (a stalled body, a reader that stopped
   * reading) is closed. Default 60 (`STEPWISE_IDLE_TIMEOUT_S`).
   */
  idleTimeoutS: number;
  /**
   * Connections one remote address may hold open at once; more are closed as they arrive, so
   * that one client cannot take every file descriptor. 0 = no cap. Default 128
   * (`STEPWISE_MAX_CONNECTIONS_PER_CLIENT`); behind a reverse proxy every client has the
   * proxy's address: raise it or set 0 there, and let the proxy cap clients.
   */
  maxConnectionsPerClient: number;
  /**
   * Largest run file, in bytes: a declaration or a body over it is refused with 413 before
   * anything is stored. Default LIMITS.fileBytes, 5 TiB (`--max-file-bytes`, `STEPWISE_MAX_FILE_BYTES`).
   */
  maxFileBytes: number;
  /**
   * Seconds between garbage collections of the file store (blobs no run file references, and
   * unfinished uploads past their expiry); 0 = never (run `stepwise server --gc` instead).
   * Default 3600 (`--gc-interval`, `STEPWISE_GC_INTERVAL_S`).
   */
  gcIntervalS: number;
  /**
   * Where run files live: absent for local files under the data directory (the default), or
   * the bucket and prefix of `s3://bucket/prefix` on S3 or an S3-compatible store, with the
   * endpoint, region and credentials from the usual AWS environment variables (`--blobs`,
   * `STEPWISE_BLOBS`; s3-location.ts).
   */
  blobs?: S3Settings;
  /**
   * Where run data lives: absent for the embedded SQLite store in the data directory (the
   * default), or a PostgreSQL URL `postgres://user:password@host:port/database` (`--database`,
   * `STEPWISE_DATABASE_URL`; what the PostgreSQL store holds yet: docs/storage.md).
   */
  database?: string;
  /** Where alerts are delivered, with timeouts and retries (alerts/alert-config.ts); absent: nowhere. */
  alerts?: AlertDeliveryConfig;
  /**
   * Artifact retention policies applied on a schedule (artifact-retention-config.ts); absent
   * when no policy file is given: none. Interval default 3600 (`--artifact-retention-interval`),
   * policies from a JSON file (`--artifact-retention-policies`).
   */
  artifactRetention?: RetentionScheduleConfig;
}

/** What a caller may set; strings (from argv and env) are parsed, numbers taken as they are. */
export interface ConfigFlags extends AlertConfigFlags, RetentionConfigFlags {
  port?: string | number;
  host?: string;
  data?: string;
  crashTimeoutS?: string | number;
  maxBodyBytes?: string | number;
  maxDecompressedBytes?: string | number;
  trustLoopback?: string | boolean;
  webRoot?: string;
  headersTimeoutS?: string | number;
  requestTimeoutS?: string | number;
  idleTimeoutS?: string | number;
  maxConnectionsPerClient?: string | number;
  maxFileBytes?: string | number;
  gcIntervalS?: string | number;
  blobs?: string;
  database?: string;
}

const numberFrom = z.union([z.number(), z.string().trim().min(1).pipe(z.coerce.number())]);
const boolFrom = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["1", "0", "true", "false", "yes", "no"]))
    .transform((s) => s === "1" || s === "true" || s === "yes"),
]);

const FIELDS = {
  port: {
    flag: "--port",
    env: "STEPWISE_PORT",
    schema: numberFrom.pipe(z.number().int().min(0).max(65_535)),
    fix: "an integer from 0 to 65535 (0 picks a free port)",
  },
  host: {
    flag: "--host",
    env: "STEPWISE_HOST",
    schema: z.string().trim().min(1).max(255),
    fix: "an address to bind, such as 127.0.0.1 or 0.0.0.0",
  },
  data: {
    flag: "--data",
    env: "STEPWISE_DATA_DIR",
    schema: z.string().min(1).max(4096),
    fix: "a directory path",
  },
  crashTimeoutS: {
    flag: "--crash-timeout",
    env: "STEPWISE_CRASH_TIMEOUT_S",
    schema: numberFrom.pipe(z.number().positive().max(31_536_000)),
    fix: "a number of seconds greater than 0",
  },
  maxBodyBytes: {
    flag: "--max-body-bytes",
    env: "STEPWISE_MAX_BODY_BYTES",
    schema: numberFrom.pipe(
      z
        .number()
        .int()
        .min(1024)
        .max(4096 * MIB),
    ),
    fix: "a byte count from 1024 to 4 GiB",
  },
  maxDecompressedBytes: {
    flag: "--max-decompressed-bytes",
    env: "STEPWISE_MAX_DECOMPRESSED_BYTES",
    schema: numberFrom.pipe(
      z
        .number()
        .int()
        .min(1024)
        .max(4096 * MIB),
    ),
    fix: "a byte count from 1024 to 4 GiB",
  },
  trustLoopback: {
    flag: "--no-loopback-trust",
    env: "STEPWISE_TRUST_LOOPBACK",
    schema: boolFrom,
    fix: "true or false (1 or 0)",
  },
  webRoot: {
    flag: "--web-root",
    env: "STEPWISE_WEB_ROOT",
    schema: z.string().min(1).max(4096),
    fix: "the directory of the built web UI (the one holding index.html)",
  },
  headersTimeoutS: {
    flag: "--headers-timeout",
    env: "STEPWISE_HEADERS_TIMEOUT_S",
    schema: numberFrom.pipe(z.number().min(0.1).max(3600)),
    fix: "a number of seconds from 0.1 to 3600",
  },
  requestTimeoutS: {
    flag: "--request-timeout",
    env: "STEPWISE_REQUEST_TIMEOUT_S",
    schema: numberFrom.pipe(z.number().min(0.1).max(86_400)),
    fix: "a number of seconds from 0.1 to 86400",
  },
  idleTimeoutS: {
    flag: "--idle-timeout",
    env: "STEPWISE_IDLE_TIMEOUT_S",
    schema: numberFrom.pipe(z.number().min(0.1).max(86_400)),
    fix: "a number of seconds from 0.1 to 86400",
  },
  maxConnectionsPerClient: {
    flag: "--max-connections-per-client",
    env: "STEPWISE_MAX_CONNECTIONS_PER_CLIENT",
    schema: numberFrom.pipe(z.number().int().min(0).max(1_000_000)),
    fix: "a whole number of connections (0 = no cap)",
  },
  maxFileBytes: {
    flag: "--max-file-bytes",
    env: "STEPWISE_MAX_FILE_BYTES",
    schema: numberFrom.pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
    fix: "a byte count of at least 1",
  },
  gcIntervalS: {
    flag: "--gc-interval",
    env: "STEPWISE_GC_INTERVAL_S",
    schema: numberFrom.pipe(z.number().min(0).max(31_536_000)),
    fix: "a number of seconds (0 = never)",
  },
  blobs: {
    flag: "--blobs",
    env: "STEPWISE_BLOBS",
    schema: z.string().trim().max(2048),
    fix: "s3://<bucket>[/<prefix>], or empty for local files",
  },
  database: {
    flag: "--database",
    env: "STEPWISE_DATABASE_URL",
    schema: z
      .string()
      .trim()
      .max(4096)
      .refine((url) => url === "" || /^postgres(ql)?:\/\/./.test(url)),
    fix: "postgres://user:password@host:port/database, or empty for the embedded SQLite store",
  },
} as const;

type FieldName = keyof typeof FIELDS;
type FieldValue<K extends FieldName> = z.output<(typeof FIELDS)[K]["schema"]>;

/** Validates flags and environment once; throws UsageError naming the option and the fix. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = {}): ServerConfig {
  const pick = <K extends FieldName>(name: K, fallback: FieldValue<K>): FieldValue<K> => {
    const field = FIELDS[name];
    const fromFlag = flags[name];
    const raw = fromFlag ?? env[field.env];
    if (raw === undefined) return fallback;
    const parsed = field.schema.safeParse(raw);
    if (parsed.success) return parsed.data as FieldValue<K>;
    const source = fromFlag === undefined ? field.env : field.flag;
    throw new UsageError(`${source} must be ${field.fix}; got ${JSON.stringify(raw)}`);
  };
  const maxBodyBytes = pick("maxBodyBytes", 64 * MIB);
  const maxDecompressedBytes = pick("maxDecompressedBytes", 256 * MIB);
  if (maxDecompressedBytes < maxBodyBytes)
    throw new UsageError(
      `the decompressed body limit (${maxDecompressedBytes} bytes) must be at least the body limit (${maxBodyBytes} bytes)`,
    );
  const headersTimeoutS = pick("headersTimeoutS", 20);
  const requestTimeoutS = pick("requestTimeoutS", 300);
  if (requestTimeoutS < headersTimeoutS)
    throw new UsageError(
      `the request timeout (${requestTimeoutS} s) must be at least the headers timeout (${headersTimeoutS} s)`,
    );
  return {
    port: pick("port", 8080),
    host: pick("host", "127.0.0.1"),
    dataDir: resolve(pick("data", "./stepwise-data")),
    crashTimeoutS: pick("crashTimeoutS", 60),
    maxBodyBytes,
    maxDecompressedBytes,
    trustLoopback: pick("trustLoopback", true),
    webRoot: webRootOf(pick("webRoot", "")),
    headersTimeoutS,
    requestTimeoutS,
    idleTimeoutS: pick("idleTimeoutS", 60),
    maxConnectionsPerClient: pick("maxConnectionsPerClient", 128),
    maxFileBytes: pick("maxFileBytes", LIMITS.fileBytes),
    gcIntervalS: pick("gcIntervalS", 3600),
    ...databaseOf(pick("database", "")),
    ...blobsOf(pick("blobs", ""), flags.blobs === undefined ? FIELDS.blobs.env : FIELDS.blobs.flag, env),
    alerts: loadAlertConfig(flags, env),
    ...retentionOf(loadRetentionConfig(flags, env)),
  };
}

/** The S3 settings, checked now (a bad location is a UsageError at start); none for local files. */
function blobsOf(url: string, source: string, env: NodeJS.ProcessEnv): { blobs?: S3Settings } {
  return url === "" ? {} : { blobs: s3Settings(parseS3Location(url, source), env) };
}

function retentionOf(schedule: RetentionScheduleConfig | null): {
  artifactRetention?: RetentionScheduleConfig;
} {
  return schedule === null ? {} : { artifactRetention: schedule };
}

function databaseOf(url: string): { database?: string } {
  return url === "" ? {} : { database: url };
}

function webRootOf(path: string): string | null {
  return path === "" ? null : resolve(path);
}
