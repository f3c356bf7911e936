/**
 * `stepwise tables ls|export`: a run's logged tables through the Api client (api-table.ts), so
 * errors keep their catalogued exit codes. Data goes to stdout (or --out, written whole or not
 * at all), messages and a byte count on a terminal to stderr.
 */
import type { Writable } from "node:stream";
import type { TableVersion } from "@stepwise/protocol";
import { resolveApiConnection } from "../../api/api-connection.js";
import { ApiHttp } from "../../api/api-http.js";
import { ApiTable, listTables } from "../../api/api-table.js";
import { parseRunPath } from "../../api/run-path.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { textTable } from "../format/text-table.js";
import { AtomicFile } from "../output/atomic-file.js";
import { refuseBinaryOnTerminal } from "../output/binary-output.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { TABLES_HELP } from "./tables/tables-help.js";
import { parseTablesArgs, type TablesCommandOptions } from "./tables/tables-options.js";

export const tablesCommand: Command = {
  name: "tables",
  summary: COMMAND_SUMMARIES.tables,
  run: runTables,
};

const REDRAW_MS = 200;

async function runTables(argv: string[], io: CliIo): Promise<number> {
  const options = parseTablesArgs(argv);
  if (options === "help") {
    io.stdout.write(TABLES_HELP);
    return ExitCode.ok;
  }
  const ref = parseRunPath(options.run);
  const http = new ApiHttp(
    resolveApiConnection({
      ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
      ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
    }),
  );
  if (options.action === "ls") {
    const tables = await listTables(http, ref);
    io.stdout.write(options.json ? tables.map((t) => `${JSON.stringify(t)}\n`).join("") : tableList(tables));
    return ExitCode.ok;
  }
  await exportTable(http, ref, options, io);
  return ExitCode.ok;
}

function tableList(tables: Array<{ key: string; versions: TableVersion[] }>): string {
  const rows = tables.flatMap((t) =>
    t.versions.map((v) => [
      t.key,
      String(v.step),
      v.rows === null ? "" : String(v.rows),
      v.columns === null ? "" : String(v.columns),
      v.state + (v.problem === undefined ? "" : `: ${v.problem}`),
    ]),
  );
  return textTable(["key", "step", "rows", "columns", "state"], rows);
}

async function exportTable(
  http: ApiHttp,
  ref: ReturnType<typeof parseRunPath>,
  options: Extract<TablesCommandOptions, { action: "export" }>,
  io: CliIo,
): Promise<void> {
  refuseBinaryOnTerminal(options.format, options.out, io);
  const table = new ApiTable(http, ref, options.key, options.step);
  // The file is opened first, so a bad --out fails before the server does any work.
  const file = options.out === null ? null : new AtomicFile(options.out);
  try {
    const result = await table.export({
      format: options.format,
      ...(options.where === undefined ? {} : { where: options.where }),
      sort: options.sort,
      ...(options.columns === undefined ? {} : { columns: options.columns }),
    });
    const sink: Writable = file?.stream ?? io.stdout;
    // A count on a terminal's stderr, unless the data goes to that same terminal.
    const progress = io.stderrIsTty && !(file === null && io.stdoutIsTty);
    let bytes = 0;
    let drawn = 0;
    for await (const chunk of result.body) {
      bytes += chunk.length;
      if (!sink.write(chunk)) await new Promise((resolve) => sink.once("drain", resolve));
      if (progress && performance.now() - drawn > REDRAW_MS) {
        drawn = performance.now();
        io.stderr.write(`\r\x1b[Kexporting ${options.key}: ${bytes.toLocaleString("en-US")} bytes`);
      }
    }
    if (progress && drawn > 0) io.stderr.write("\r\x1b[K");
    if (file !== null) {
      await file.commit();
      io.stderr.write(`wrote ${file.path} (${result.fileName}, ${bytes} bytes)\n`);
    }
  } catch (error) {
    await file?.abort();
    throw error;
  }
}
