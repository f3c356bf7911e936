/**
 * `stepwise login [--host URL] [--key KEY]`: checks a key against the server and stores
 * `{ baseUrl, apiKey }` where the SDK and CLI look for it (`$STEPWISE_CONFIG_DIR` or
 * `~/.config/stepwise/credentials.json`). Without --key, the key is read from standard input.
 */
import { parseArgs } from "node:util";
import { UsageError } from "@stepwise/protocol";
import { credentialsPath } from "../../settings/credentials-file.js";
import { DEFAULT_API_BASE_URL } from "../../api/api-connection.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { usageErrorFromParseArgs } from "../parse-args-error.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { writeCredentials } from "./login/credentials-file.js";
import { readKey } from "./login/read-key.js";
import { verifyKey } from "./login/verify-key.js";

const HELP = `Usage: stepwise login [--host <url>] [--key <key>]

Checks an API key against a Stepwise server and stores it, with the server's URL, in
$STEPWISE_CONFIG_DIR/credentials.json (default ~/.config/stepwise/credentials.json, mode 0600).
The SDK's Api client and the CLI use it when STEPWISE_BASE_URL / STEPWISE_API_KEY are not set.

Options:
  --host <url>   the server (default STEPWISE_BASE_URL, else ${DEFAULT_API_BASE_URL})
  --key <key>    the API key; without it the key is read from standard input, which keeps it
                 out of your shell history (e.g. stepwise login < stepwise-data/admin-key)
  -h, --help     show this help
`;

const ARG_OPTIONS = {
  host: { type: "string" },
  key: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const loginCommand: Command = {
  name: "login",
  summary: COMMAND_SUMMARIES.login,
  run: runLogin,
};

async function runLogin(argv: string[], io: CliIo): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return ExitCode.ok;
  }
  const baseUrl = checkUrl(values.host ?? (process.env["STEPWISE_BASE_URL"] || DEFAULT_API_BASE_URL));
  const apiKey = values.key ?? (await readKey(process.stdin, io.stderr));
  if (apiKey === "")
    throw new UsageError("no API key given: pass --key <key> or send the key on standard input");
  const viewer = await verifyKey(baseUrl, apiKey);
  const path = credentialsPath(process.env);
  await writeCredentials(path, { baseUrl, apiKey });
  const role = viewer.admin ? "admin" : `entity '${viewer.entity}'`;
  io.stdout.write(`Logged in to ${baseUrl} as '${viewer.name}' (${role}); key stored in ${path}\n`);
  return ExitCode.ok;
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--host ${JSON.stringify(text)} is not a URL; use e.g. ${DEFAULT_API_BASE_URL}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--host ${JSON.stringify(text)} must start with http:// or https://`);
  return text.replace(/\/+$/, "");
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw usageErrorFromParseArgs(error, "login");
  }
}
