/** `stepwise tables --help`: the two subcommands, their options and examples. */
export const TABLES_HELP = `Usage: stepwise tables ls <entity/project/run> [--json]
       stepwise tables export <entity/project/run> <key> --format csv|parquet [options]

Tables a run logged (Table values in its history or summary), read through the server, which
sorts and filters them without a row cap.

  ls      each table key with its versions: step, rows, columns, state (one JSON object per
          key with --json)
  export  every matching row of one version as CSV or Parquet, to standard output or --out
          (Parquet is binary: not onto a terminal, exit 2; use --out or a redirect)

Options (export):
  --format csv|parquet   the file format (required)
  --step <n>             the version logged at step n (default: the latest)
  --where <expr>         a filter expression, e.g. 'acc > 0.9 and label in ("cat", "dog")'
  --sort <col|-col>      sort by a column, '-' for descending; repeat for more columns
  --columns <a,b,…>      the columns to write, in this order (default: all)
  -o, --out <file>       write the file here (whole or not at all) instead of standard output

Options:
  --json                 ls: one JSON object per line
  --base-url <url>       the server (default: STEPWISE_BASE_URL, then the URL saved by
                         'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>        the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help             show this help

Examples:
  stepwise tables ls my-team/vision/run-7
  stepwise tables export my-team/vision/run-7 predictions --format csv --where 'score < 0.5' > low.csv
  stepwise tables export my-team/vision/run-7 predictions --format parquet --sort -score --out p.parquet
`;
