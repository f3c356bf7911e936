/**
 * `stepwise runs <entity/project>`: lists a project's runs on the server, filtered and ordered
 * as the SDK's `api.runs()` does, as a table or as JSON lines.
 */
import { NotFoundError, stringifyExtended } from "@stepwise/protocol";
import { Api } from "../../api/api.js";
import type { ApiRun } from "../../api/api-run.js";
import { parseProjectPath } from "../../api/run-path.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { LineSink } from "../output/line-sink.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { RUNS_HELP } from "./runs/runs-help.js";
import { parseRunsArgs, type RunsCommandOptions } from "./runs/runs-options.js";
import { runsTable } from "./runs/runs-table.js";

export const runsCommand: Command = {
  name: "runs",
  summary: COMMAND_SUMMARIES.runs,
  run: runRuns,
};

async function runRuns(argv: string[], io: CliIo): Promise<number> {
  const options = parseRunsArgs(argv);
  if (options === "help") {
    io.stdout.write(RUNS_HELP);
    return ExitCode.ok;
  }
  const api = new Api({
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
    ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
  });
  const runs = await fetchRuns(api, options);
  // No runs: a project that does not exist is an error (exit 4), not an empty table.
  if (runs.length === 0) await checkProjectExists(api, options.project);
  const sink = new LineSink(io.stdout);
  try {
    if (options.json) for (const run of runs) sink.add(stringifyExtended(run.raw) + "\n");
    else sink.add(runsTable(runs));
    await sink.flush();
  } finally {
    sink.release();
  }
  if (runs.length === options.limit) {
    const total = await api.countRuns(options.project, options.filters);
    if (total > runs.length)
      io.stderr.write(`showing ${runs.length} of ${total} runs; raise --limit for more\n`);
  }
  return ExitCode.ok;
}

async function fetchRuns(api: Api, options: RunsCommandOptions): Promise<ApiRun[]> {
  const runs: ApiRun[] = [];
  const query = {
    filters: options.filters,
    perPage: Math.min(options.limit, 1000),
    ...(options.order === null ? {} : { order: options.order }),
  };
  for await (const run of api.runs(options.project, query)) {
    runs.push(run);
    if (runs.length === options.limit) break;
  }
  return runs;
}

async function checkProjectExists(api: Api, path: string): Promise<void> {
  const { entity, project } = parseProjectPath(path);
  const projects = (await api.projects(entity)).map((p) => p.name);
  if (projects.includes(project)) return;
  const known =
    projects.length === 0 ? `entity "${entity}" has no projects` : `its projects: ${projects.join(", ")}`;
  throw new NotFoundError(`no project "${path}" on ${api.baseUrl} (${known})`);
}
