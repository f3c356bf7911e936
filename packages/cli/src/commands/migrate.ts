/**
 * `stepwise migrate`: copies a server's SQLite data directory into PostgreSQL (and its run files
 * to S3 or another directory), resumable and verified (@stepwise/server's migrateDataDir).
 * Progress goes to stderr, one redrawn line on a terminal, plain lines otherwise; `--json`
 * prints the summary on stdout. Exit 0 when every run checks out, 3 when one does not. The
 * summary names the database.json written where the target keeps its files (migrate-marker.ts).
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { errorCatalogue, UsageError } from "@stepwise/protocol";
import { ExitCode, usageErrorFromParseArgs, type CliIo, type Command } from "@stepwise/sdk/cli";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import type { MigrateSummary, MoveProgress } from "@stepwise/server";

const HELP = `Usage: stepwise migrate --from <data dir> --to postgres://… [options]

Copies everything a Stepwise server keeps under --from (SQLite) into a PostgreSQL database:
runs (metadata, config, summary, state, ordinals), every history row, the events, console
and meta streams, series (built by the target's ingestion from the same rows), run file
records and their contents, chart presets, API keys (their hashes: the keys stay valid), and
artifacts with the registry (into a database that has no artifacts yet).
Safe to stop at any point (Ctrl-C, a crash, SIGKILL): run it again and it goes on where it
stopped, without duplicating anything; a run copied before and unchanged since is skipped.
At the end every run is checked on both sides: stream counts, file records, the run record
and a sha256 of the whole history text.

Options:
  --from <dir>            the source server's data directory (holds stepwise.db)
  --to postgres://<user>:<password>@<host>:<port>/<db>
                          the target database; it must exist (default STEPWISE_DATABASE_URL)
  --blobs s3://<bucket>[/<prefix>]
                          copy run files to S3 or an S3-compatible store (default
                          STEPWISE_BLOBS); endpoint, region and keys from AWS_ENDPOINT_URL,
                          AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
  --to-data <dir>         copy run files to <dir>/files instead (the new servers' --data)
                          Without --blobs or --to-data, files stay under --from: start the
                          new servers with --data <from>.
                          Once every run checks out, the directory that keeps the files
                          (--to-data, or --from without --blobs) gets a database.json naming
                          the target: a server, --gc or --check there without --database
                          refuses from then on.
  --json                  print the summary as one JSON object on stdout
  -h, --help              show this help

Exit codes: 0 copied and verified; 2 usage; 3 a run differs after the copy (each is named
on stderr; run again to copy what is missing); 4 no Stepwise database (stepwise.db) at
--from; 7 the database or file store is unavailable.
`;

const ARG_OPTIONS = {
  from: { type: "string" },
  to: { type: "string" },
  blobs: { type: "string" },
  "to-data": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const migrateCommand: Command = {
  name: "migrate",
  summary: COMMAND_SUMMARIES.migrate,
  run: runMigrate,
};

async function runMigrate(argv: string[], io: CliIo): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return ExitCode.ok;
  }
  const from = values.from;
  const to = values.to ?? nonEmpty(process.env.STEPWISE_DATABASE_URL);
  if (from === undefined) throw usage("--from <data dir> is required: the source server's --data directory");
  if (to === undefined) throw usage("--to postgres://… is required (or STEPWISE_DATABASE_URL)");
  const toData = values["to-data"];
  const blobs = values.blobs ?? (toData === undefined ? nonEmpty(process.env.STEPWISE_BLOBS) : undefined);
  const { migrateDataDir } = await import("@stepwise/server");
  const progress = new MigrateProgress(io);
  const summary = await migrateDataDir({
    from,
    to,
    env: process.env,
    onProgress: (event) => progress.show(event),
    ...(blobs === undefined ? {} : { blobs }),
    ...(toData === undefined ? {} : { toData }),
  }).finally(() => progress.clear());
  for (const line of describe(summary)) io.stderr.write(`${line}\n`);
  if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.verified.mismatches.length === 0 ? ExitCode.ok : errorCatalogue.CORRUPT_DATA.exitCode;
}

/** Progress on stderr: a line redrawn at most 5 times a second on a terminal, a line per run otherwise. */
class MigrateProgress {
  private lastDraw = 0;
  private drawn = false;
  private rows = 0;

  constructor(private readonly io: CliIo) {}

  show(event: MoveProgress): void {
    if (event.phase === "rows") this.rows += event.rows;
    if (!this.io.stderrIsTty) {
      if (event.phase === "copy" && event.copied)
        this.io.stderr.write(`copied ${event.run} (${event.done}/${event.total}): ${event.rows} rows\n`);
      if (event.phase === "verify" && !event.ok) this.io.stderr.write(`differs: ${event.run}\n`);
      if (event.phase === "verify" && event.done === event.total)
        this.io.stderr.write(`verified ${event.total} runs\n`);
      return;
    }
    const now = performance.now();
    if (now - this.lastDraw < 200 && event.done !== event.total) return;
    this.lastDraw = now;
    this.drawn = true;
    const what = event.phase === "verify" ? "verifying" : "copying";
    this.io.stderr.write(
      `\r\x1b[K${what} runs ${event.done}/${event.total}, ${this.rows.toLocaleString("en-US")} rows copied — ${event.run}`,
    );
  }

  clear(): void {
    if (this.drawn) this.io.stderr.write("\r\x1b[K");
    this.drawn = false;
  }
}

function describe(s: MigrateSummary): string[] {
  const lines = [
    `${s.runs.total} runs in ${s.source.dataDir}: ${s.runs.copied} copied, ${s.runs.unchanged} unchanged since the last copy`,
    `written: ${s.rows.history} history rows, ${s.rows.events} events, ${s.rows.console} console lines, ` +
      `${s.rows.meta} meta records; ${s.files.records} file records, ${s.files.blobs} contents (${s.files.bytes} bytes) to ${s.target.files}`,
    `API keys: ${s.apiKeys.copied} of ${s.apiKeys.total} copied; chart presets: ${s.presets.copied} of ${s.presets.total}`,
    `artifacts: ${s.artifacts.collections} collection(s), ${s.artifacts.versions} version(s), ` +
      `${s.artifacts.registryLinks} registry link(s): ${s.artifacts.state}` +
      (s.artifacts.blobs > 0 ? `, ${s.artifacts.blobs} contents (${s.artifacts.bytes} bytes) copied` : ""),
    ...s.runs.renumbered.map(
      (r) => `renumbered ${r.run}: #${r.from} in the source, #${r.to} in ${s.target.database}`,
    ),
    ...s.notCopied.map((what) => `not copied: ${what}`),
  ];
  const { verified } = s;
  if (verified.mismatches.length === 0)
    lines.push(
      `verified ${verified.runs} runs (${verified.historyRows} history rows, ${verified.files} files): identical`,
    );
  else {
    for (const m of verified.mismatches) lines.push(`differs: ${m.run}: ${m.what}`);
    lines.push(
      `${new Set(verified.mismatches.map((m) => m.run)).size} run(s) differ; run stepwise migrate again to copy what is missing`,
    );
  }
  if (s.marker?.written === true)
    lines.push(
      `wrote ${s.marker.path}: start the new servers with --data ${dirname(s.marker.path)} --database postgres://…; ` +
        "a server, --gc or --check there without --database now refuses",
    );
  else if (s.marker !== null)
    lines.push(`${s.marker.path} not written: it is written once every run checks out`);
  return lines;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function usage(reason: string): UsageError {
  return new UsageError(`${reason}\nRun 'stepwise migrate --help' for usage.`);
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw usageErrorFromParseArgs(error, "migrate");
  }
}
