/** `stepwise export --help`: usage, options with their defaults, and examples. */
export const EXPORT_HELP = `Usage: stepwise export <target> [options]
       stepwise export <entity/project> --out DIR [--filter EXPR]... [--combined]

Export a run's history, summary, config or metadata, from its local run directory (no
server needed) or from a Stepwise server. Data goes to stdout (or --out); messages go to
stderr.

Arguments:
  <target>               a run directory, stepwise/latest-run, a stepwise/ folder
                         (its latest run) or a run-<id>.swlog file; or
                         entity/project/runId: that run on the server (used when no
                         such local path exists), as in
                           stepwise export me/mnist/abc123 --what summary
                           stepwise export me/mnist/abc123 --format parquet -o h.parquet
                         or entity/project: every run of it (or those passing
                         --filter), one <runId>.<format> file per run in --out DIR, as in
                           stepwise export me/mnist --format parquet --out mnist/

Options:
  --what <what>          history | summary | config | run            (default: history)
                           history: every row, unsampled, with _step, _runtime, _timestamp
                           summary, config: one JSON object
                           run: id, name, project, entity, state, exitCode, group,
                                jobType, tags, notes, startTime, lastStep
  --format <format>      jsonl | csv | parquet                       (default: jsonl)
                           jsonl: one JSON object per line; NaN, Infinity, -Infinity
                                  are written as bare tokens
                           csv: history only; nested keys become dotted columns
                                (train.loss); _step first, _runtime, _timestamp last
                           parquet: history from a server only, as the server writes
                                it; with --keys, the rows that hold every key, with
                                those columns; needs --out or a redirect
  --keys <a,b,...>       keep only these keys (top-level names or dotted paths such as
                         train.loss; a namespace such as train keeps all of it), plus
                         _step; history rows with none of the keys are skipped;
                         a key no row holds is named with the run's keys (exit 4
                         when no key is held at all)
                                                                     (default: all keys)
  -o, --out <file>       write to <file> instead of stdout; the file appears complete
                         or not at all                               (default: stdout)
  --base-url <url>       the server, for entity/project/runId targets
                         (default: STEPWISE_BASE_URL, then the URL saved by
                         'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>        the API key for that server
                         (default: STEPWISE_API_KEY, then the key saved by
                         'stepwise login')
  --filter <expr>        project targets: keep the runs that pass (repeatable, ANDed;
                         as 'stepwise runs --filter': config.lr>0.01, state=finished,
                         tags~best, summary.val/acc>=0.9)
  --combined             project targets: one file <project>.<format> for all runs,
                         with the run id in a first _run column (jsonl, csv)
  --jobs <n>             project targets: runs exported at once        (default: 4)
  --json                 project targets: print a JSON summary (runs, files, rows,
                         bytes, skipped) on stdout
                         A project export is resumable: run it again after an
                         interruption and the runs whose file is complete (and whose
                         history has not changed) are kept, the rest written anew;
                         a file appears complete or not at all.
  -h, --help             show this help

Examples:
  stepwise export stepwise/latest-run > history.jsonl
  stepwise export stepwise/latest-run --format csv --keys loss,train.acc --out metrics.csv

Exit codes: 0 ok, 1 unexpected error, 2 usage error, 3 corrupt run log,
            4 target (or the --out folder) not found, 6 not authorised,
            7 server unreachable.
`;
