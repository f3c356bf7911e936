/**
 * `stepwise keys ls|create|revoke`: an admin manages the server's API keys through the SDK's
 * `Api`. A new key's secret goes to stdout alone (so `> file` keeps it); every message goes to
 * stderr. The server's errors keep their catalogued exit codes: an unknown id is 4, the last
 * admin key 2, a key that is not an admin's 6.
 */
import { stringifyExtended } from "@stepwise/protocol";
import { Api } from "../../api/api.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { LineSink } from "../output/line-sink.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { KEYS_HELP } from "./keys/keys-help.js";
import { parseKeysArgs, type KeysCommandOptions } from "./keys/keys-options.js";
import { keysTable } from "./keys/keys-table.js";

export const keysCommand: Command = {
  name: "keys",
  summary: COMMAND_SUMMARIES.keys,
  run: runKeys,
};

async function runKeys(argv: string[], io: CliIo): Promise<number> {
  const options = parseKeysArgs(argv, process.env);
  if (options === "help") {
    io.stdout.write(KEYS_HELP);
    return ExitCode.ok;
  }
  const api = new Api({
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
    ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
  });
  if (options.action === "ls") return listKeys(api, options.json, io);
  if (options.action === "create") return createKey(api, options, io);
  return revokeKey(api, options.id, options.json, io);
}

async function listKeys(api: Api, json: boolean, io: CliIo): Promise<number> {
  const keys = await api.apiKeys();
  await writeData(io, json ? keys.map((key) => stringifyExtended(key) + "\n").join("") : keysTable(keys));
  return ExitCode.ok;
}

async function createKey(
  api: Api,
  options: Extract<KeysCommandOptions, { action: "create" }>,
  io: CliIo,
): Promise<number> {
  const created = await api.createApiKey({
    name: options.name,
    entity: options.entity,
    admin: options.admin,
  });
  // The server cannot show the secret again: if it does not reach its reader, say how to recover.
  const lost = `API key ${created.id} was created, but its secret did not reach standard output`;
  const fix = `revoke it with 'stepwise keys revoke ${created.id}' and create another`;
  try {
    if (!(await writeData(io, options.json ? stringifyExtended(created) + "\n" : `${created.key}\n`))) {
      io.stderr.write(`stepwise: error: ${lost} (the reader went away); ${fix}\n`);
      return ExitCode.unexpected;
    }
  } catch (error) {
    io.stderr.write(`stepwise: error: ${lost}; ${fix}\n`);
    throw error;
  }
  const role = created.admin ? "admin" : `entity '${created.entity}'`;
  io.stderr.write(
    `created API key ${created.id} ('${created.name}', ${role}) on ${api.baseUrl}; ` +
      "its secret is shown only this once: store it now\n",
  );
  return ExitCode.ok;
}

async function revokeKey(api: Api, id: string, json: boolean, io: CliIo): Promise<number> {
  const revoked = await api.revokeApiKey(id);
  if (json) await writeData(io, stringifyExtended(revoked) + "\n");
  io.stderr.write(
    `revoked API key ${revoked.id} ('${revoked.name}', entity '${revoked.entity}'); ` +
      "the server refuses it from now on\n",
  );
  return ExitCode.ok;
}

/** Writes to stdout; false when the reader went away (EPIPE), throws the stream's other errors. */
async function writeData(io: CliIo, text: string): Promise<boolean> {
  const sink = new LineSink(io.stdout);
  try {
    sink.add(text);
    await sink.flush();
    return !sink.closed;
  } finally {
    sink.release();
  }
}
