/**
 * `stepwise server`: runs the API and the web UI on the embedded store under `--data`.
 * Prints the URL and where the admin key is on stdout, serves until SIGINT/SIGTERM, then shuts
 * down gracefully: requests in flight finish and nothing acknowledged is lost.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { errorCatalogue, UsageError } from "@stepwise/protocol";
import { ExitCode, usageErrorFromParseArgs, type CliIo, type Command } from "@stepwise/sdk/cli";
import type { ServerConfig } from "@stepwise/server";
import { COMMAND_SUMMARIES } from "./command-summaries.js";

const HELP = `Usage: stepwise server [options]

Runs the Stepwise server: the web UI and the HTTP API on SQLite and local files under --data,
or with run data in PostgreSQL (--database) and run files on S3 (--blobs).

Options:
  --port <n>              port to listen on (default 8080, STEPWISE_PORT; 0 picks a free one)
  --host <addr>           address to bind (default 127.0.0.1, STEPWISE_HOST)
  --data <dir>            data directory (default ./stepwise-data, STEPWISE_DATA_DIR)
  --crash-timeout <s>     mark a running run crashed after this many seconds without traffic
                          (default 60, STEPWISE_CRASH_TIMEOUT_S)
  --headers-timeout <s>   close a connection whose headers take longer (default 20,
                          STEPWISE_HEADERS_TIMEOUT_S)
  --request-timeout <s>   close a request not complete by then (default 300,
                          STEPWISE_REQUEST_TIMEOUT_S)
  --idle-timeout <s>      close a connection idle this long (default 60, STEPWISE_IDLE_TIMEOUT_S)
  --max-connections-per-client <n>
                          open connections one address may hold (default 128, 0 = no cap;
                          behind a reverse proxy use 0; STEPWISE_MAX_CONNECTIONS_PER_CLIENT)
  --database postgres://<user>:<password>@<host>:<port>/<db>
                          keep run data in PostgreSQL instead of SQLite under --data
                          (STEPWISE_DATABASE_URL); --data then names the database in
                          database.json, and a start, --check or --gc there without
                          --database refuses (docs/storage.md)
  --blobs s3://<bucket>[/<prefix>]
                          keep run files on S3 or an S3-compatible store (MinIO, Ceph, …)
                          instead of <data>/files (STEPWISE_BLOBS). Endpoint, region and keys
                          come from AWS_ENDPOINT_URL (path-style), AWS_REGION,
                          AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the SDK's usual
                          profile / instance-role chain). Downloads of artifact files are
                          presigned S3 URLs; see docs/deploy.md
  --max-file-bytes <n>    largest run file accepted (default 5 TiB, STEPWISE_MAX_FILE_BYTES)
  --max-body-bytes <n>    largest request body as sent (default 64 MiB, STEPWISE_MAX_BODY_BYTES)
  --max-decompressed-bytes <n>
                          largest request body after gzip decoding (default 256 MiB, at least
                          --max-body-bytes; STEPWISE_MAX_DECOMPRESSED_BYTES)
  --gc-interval <s>       collect the file store's garbage this often: blobs no run file
                          references, unfinished uploads past expiry (default 3600, 0 = never;
                          STEPWISE_GC_INTERVAL_S)
  --artifact-retention-policies <file>
                          apply the artifact retention policies of this JSON file on a
                          schedule: [{ "collection": "entity/project/name", "type"?,
                          "keepLast"?, "keepAliased"?, "keepYoungerThanS"? }], * for any part
                          (STEPWISE_ARTIFACT_RETENTION_POLICIES; docs/artifacts.md)
  --artifact-retention-interval <s>
                          seconds between retention passes (default 3600, 0 = never;
                          STEPWISE_ARTIFACT_RETENTION_INTERVAL_S)
  --alert-webhook <urls>  deliver run.alert() alerts as JSON to these URLs (comma-separated;
                          STEPWISE_ALERT_WEBHOOK)
  --alert-slack-webhook <urls>
                          deliver alerts to Slack-compatible incoming webhooks
                          (STEPWISE_ALERT_SLACK_WEBHOOK)
  --alert-destinations <file>
                          alert destinations from a JSON file: [{ "kind": "webhook"|"slack",
                          "url", "name"?, "levels"? }] (STEPWISE_ALERT_DESTINATIONS)
  --alert-timeout <s>     give up one delivery try after this long (default 10,
                          STEPWISE_ALERT_TIMEOUT_S)
  --alert-attempts <n>    tries per alert and destination (default 5, STEPWISE_ALERT_ATTEMPTS)
  --no-loopback-trust     require an API key even from this machine (STEPWISE_TRUST_LOOPBACK=0)
  --web-root <dir>        serve the web UI built in <dir> (default: the installed
                          @stepwise/web package's build; STEPWISE_WEB_ROOT)
  --check                 do not serve: verify everything stored under --data, or in
                          --database and --blobs (SQLite's integrity check and the checksum of
                          every history block and series chunk; on PostgreSQL every history
                          row, series chunk and rollup block; every run file's size and sha256),
                          list what is damaged, and exit 0 when nothing is, 3 when something
                          is. Safe beside running servers.
  --gc                    do not serve: free the blobs no run file references (older than an
                          hour) and unfinished uploads past expiry in the file store the flags
                          name (--data or --blobs, against --database when given), print what
                          was freed, exit. Safe beside running servers.
  --json                  with --check or --gc, print the report as one JSON object
  -h, --help              show this help

On a loopback address, requests from this machine need no key. Bound to any other address,
every request needs 'Authorization: Bearer <key>'. The first start writes an admin key to
<data>/admin-key (readable by you only).
`;

const ARG_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  "crash-timeout": { type: "string" },
  "headers-timeout": { type: "string" },
  "request-timeout": { type: "string" },
  "idle-timeout": { type: "string" },
  "max-connections-per-client": { type: "string" },
  "max-file-bytes": { type: "string" },
  "max-body-bytes": { type: "string" },
  "max-decompressed-bytes": { type: "string" },
  "artifact-retention-policies": { type: "string" },
  "artifact-retention-interval": { type: "string" },
  blobs: { type: "string" },
  database: { type: "string" },
  "gc-interval": { type: "string" },
  "alert-webhook": { type: "string" },
  "alert-slack-webhook": { type: "string" },
  "alert-destinations": { type: "string" },
  "alert-timeout": { type: "string" },
  "alert-attempts": { type: "string" },
  "no-loopback-trust": { type: "boolean", default: false },
  "web-root": { type: "string" },
  check: { type: "boolean", default: false },
  gc: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const serverCommand: Command = {
  name: "server",
  summary: COMMAND_SUMMARIES.server,
  run: runServer,
};

async function runServer(argv: string[], io: CliIo): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return ExitCode.ok;
  }
  if (values.json && !values.check && !values.gc)
    throw new UsageError("--json goes with --check or --gc; add one or drop --json");
  if (values.check && values.gc) throw new UsageError("--check and --gc are separate runs; give one of them");
  // Loaded here, not at the top: other commands must not pay for the server's dependencies.
  const { loadConfig, startServer } = await import("@stepwise/server");
  const loaded = loadConfig(
    {
      ...(values.port === undefined ? {} : { port: values.port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.data === undefined ? {} : { data: values.data }),
      ...(values["crash-timeout"] === undefined ? {} : { crashTimeoutS: values["crash-timeout"] }),
      ...(values["headers-timeout"] === undefined ? {} : { headersTimeoutS: values["headers-timeout"] }),
      ...(values["request-timeout"] === undefined ? {} : { requestTimeoutS: values["request-timeout"] }),
      ...(values["idle-timeout"] === undefined ? {} : { idleTimeoutS: values["idle-timeout"] }),
      ...(values["max-connections-per-client"] === undefined
        ? {}
        : { maxConnectionsPerClient: values["max-connections-per-client"] }),
      ...(values["max-file-bytes"] === undefined ? {} : { maxFileBytes: values["max-file-bytes"] }),
      ...(values["max-body-bytes"] === undefined ? {} : { maxBodyBytes: values["max-body-bytes"] }),
      ...(values["max-decompressed-bytes"] === undefined
        ? {}
        : { maxDecompressedBytes: values["max-decompressed-bytes"] }),
      ...(values["gc-interval"] === undefined ? {} : { gcIntervalS: values["gc-interval"] }),
      ...(values["artifact-retention-policies"] === undefined
        ? {}
        : { artifactRetentionPolicies: values["artifact-retention-policies"] }),
      ...(values["artifact-retention-interval"] === undefined
        ? {}
        : { artifactRetentionIntervalS: values["artifact-retention-interval"] }),
      ...(values.blobs === undefined ? {} : { blobs: values.blobs }),
      ...(values.database === undefined ? {} : { database: values.database }),
      ...(values["alert-webhook"] === undefined ? {} : { alertWebhook: values["alert-webhook"] }),
      ...(values["alert-slack-webhook"] === undefined
        ? {}
        : { alertSlackWebhook: values["alert-slack-webhook"] }),
      ...(values["alert-destinations"] === undefined
        ? {}
        : { alertDestinations: values["alert-destinations"] }),
      ...(values["alert-timeout"] === undefined ? {} : { alertTimeoutS: values["alert-timeout"] }),
      ...(values["alert-attempts"] === undefined ? {} : { alertAttempts: values["alert-attempts"] }),
      ...(values["no-loopback-trust"] ? { trustLoopback: false } : {}),
      ...(values["web-root"] === undefined ? {} : { webRoot: values["web-root"] }),
    },
    process.env,
  );
  if (values.check) return checkData(loaded, values.json, io);
  if (values.gc) return collectGarbage(loaded, values.json, io);
  const config = { ...loaded, webRoot: loaded.webRoot ?? bundledWebRoot() };
  const server = await startServer(config, { log: (line) => io.stderr.write(`${line}\n`) }).catch(
    (error: unknown) => {
      throw portInUse(error, config) ?? error;
    },
  );
  // Listen for the stop signal before saying anything: a supervisor (or a test) that stops the
  // server as soon as it reads these lines must not find the default handler still in place.
  const signalled = nextSignal();
  io.stdout.write(`Stepwise server listening on ${server.url} (data in ${config.dataDir})\n`);
  if (!existsSync(join(config.webRoot, "index.html")))
    io.stdout.write("The web UI is not built: run 'npm run build -w @stepwise/web', then reload.\n");
  if (server.adminKeyPath !== null) io.stdout.write(`Admin API key: ${server.adminKeyPath}\n`);
  io.stdout.write(
    server.trustsLoopback
      ? "Bound to loopback: requests from this machine need no key.\n"
      : "Every request needs an API key ('Authorization: Bearer <key>').\n",
  );
  const signal = await signalled;
  io.stderr.write(`${signal}: shutting down (finishing requests in flight)…\n`);
  // A second signal means "now": the operator does not want to wait for slow clients.
  const force = (): void => process.exit(ExitCode.unexpected);
  process.once("SIGINT", force).once("SIGTERM", force);
  await server.close();
  process.off("SIGINT", force).off("SIGTERM", force);
  io.stderr.write("stopped\n");
  return ExitCode.ok;
}

/** `--check`: the full store check; exit 0 when nothing is damaged, STORE_CORRUPT's code when something is. */
async function checkData(config: ServerConfig, json: boolean, io: CliIo): Promise<number> {
  const { checkStore, formatStoreCheck } = await import("@stepwise/server");
  const report = await checkStore(config.dataDir, {
    ...(config.database === undefined ? {} : { database: config.database }),
    ...(config.blobs === undefined ? {} : { blobs: config.blobs }),
  });
  io.stdout.write(json ? `${JSON.stringify(report)}\n` : formatStoreCheck(report).join("\n") + "\n");
  return report.ok ? ExitCode.ok : errorCatalogue.STORE_CORRUPT.exitCode;
}

/** `--gc`: one garbage collection of the file store; prints what it freed. */
async function collectGarbage(config: ServerConfig, json: boolean, io: CliIo): Promise<number> {
  const { collectGarbageIn, formatGcReport } = await import("@stepwise/server");
  const report = await collectGarbageIn(config.dataDir, {
    log: (line) => io.stderr.write(`${line}\n`),
    ...(config.blobs === undefined ? {} : { blobs: config.blobs }),
    ...(config.database === undefined ? {} : { database: config.database }),
  });
  io.stdout.write(json ? `${JSON.stringify(report)}\n` : formatGcReport(report).join("\n") + "\n");
  return ExitCode.ok;
}

/**
 * The build of `@stepwise/web` (a dependency: the workspace's packages/web, or the installed
 * package), resolved as Node resolves any package. It may not exist yet in a fresh clone: the
 * server checks on each request, so a build made after the start shows on reload.
 */
function bundledWebRoot(): string {
  const manifest = createRequire(import.meta.url).resolve("@stepwise/web/package.json");
  return join(dirname(manifest), "dist");
}

/** EADDRINUSE as a usage error that says which flag picks another port. */
function portInUse(error: unknown, config: { host: string; port: number }): UsageError | null {
  if ((error as NodeJS.ErrnoException | null)?.code !== "EADDRINUSE") return null;
  return new UsageError(
    `port ${config.port} on ${config.host} is in use (EADDRINUSE): stop what is listening there, ` +
      `or choose another port with --port <n> (or STEPWISE_PORT; --port 0 picks a free one)`,
  );
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", on).off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on).on("SIGTERM", on);
  });
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw usageErrorFromParseArgs(error, "server");
  }
}
