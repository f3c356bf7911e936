/**
 * `stepwise server`: runs the API (and, later, the web UI) on the embedded store under `--data`.
 * Prints the URL and where the admin key is on stdout, serves until SIGINT/SIGTERM, then shuts
 * down gracefully: requests in flight finish and nothing acknowledged is lost.
 */
import { parseArgs } from "node:util";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { usageErrorFromParseArgs } from "../parse-args-error.js";
import type { Command } from "./command.js";

const HELP = `Usage: stepwise server [options]

Runs the Stepwise server: the HTTP API on SQLite and local files under --data.

Options:
  --port <n>              port to listen on (default 8080, STEPWISE_PORT; 0 picks a free one)
  --host <addr>           address to bind (default 127.0.0.1, STEPWISE_HOST)
  --data <dir>            data directory (default ./stepwise-data, STEPWISE_DATA_DIR)
  --crash-timeout <s>     mark a running run crashed after this many seconds without traffic
                          (default 60, STEPWISE_CRASH_TIMEOUT_S)
  --no-loopback-trust     require an API key even from this machine
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
  "no-loopback-trust": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const serverCommand: Command = {
  name: "server",
  summary: "run the Stepwise server (HTTP API on SQLite + local files)",
  run: runServer,
};

async function runServer(argv: string[], io: CliIo): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return ExitCode.ok;
  }
  // Loaded here, not at the top: other commands must not pay for the server's dependencies.
  const { loadConfig, startServer } = await import("@stepwise/server");
  const config = loadConfig(
    {
      ...(values.port === undefined ? {} : { port: values.port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.data === undefined ? {} : { data: values.data }),
      ...(values["crash-timeout"] === undefined ? {} : { crashTimeoutS: values["crash-timeout"] }),
      ...(values["no-loopback-trust"] ? { trustLoopback: false } : {}),
    },
    process.env,
  );
  const server = await startServer(config, { log: (line) => io.stderr.write(`${line}\n`) });
  io.stdout.write(`Stepwise server listening on ${server.url} (data in ${config.dataDir})\n`);
  if (server.adminKeyPath !== null) io.stdout.write(`Admin API key: ${server.adminKeyPath}\n`);
  io.stdout.write(
    server.trustsLoopback
      ? "Bound to loopback: requests from this machine need no key.\n"
      : "Every request needs an API key ('Authorization: Bearer <key>').\n",
  );
  const signal = await nextSignal();
  io.stderr.write(`${signal}: shutting down (finishing requests in flight)…\n`);
  // A second signal means "now": the operator does not want to wait for slow clients.
  const force = (): void => process.exit(ExitCode.unexpected);
  process.once("SIGINT", force).once("SIGTERM", force);
  await server.close();
  process.off("SIGINT", force).off("SIGTERM", force);
  io.stderr.write("stopped\n");
  return ExitCode.ok;
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
