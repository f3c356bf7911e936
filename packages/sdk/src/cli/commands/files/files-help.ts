/** `stepwise files --help`: usage, options with their defaults, and examples. */
export const FILES_HELP = `Usage: stepwise files ls  <entity/project/runId> [--json]
       stepwise files get <entity/project/runId> <path>... [--out DIR] [--json]
       stepwise files put <entity/project/runId> <localPath>... [--name PATH] [--json]

List, download and upload the files of a run on a Stepwise server.

  ls    the run's files: a table (path, size, updated in UTC), or one JSON object per file
        with --json (path, size, sha256, contentType, updatedAt in Unix seconds)
  get   downloads each <path> of the run to DIR/<path> (folders kept), through a temporary
        file renamed into place once its sha256 is the server's; a download cut short goes on
        from where it stopped when run again. Prints each local path (or, with --json, one
        object per file). A path the run does not have is reported and the others still come;
        the exit code is then 4.
  put   uploads each local file to the run as its file name (or --name, for one file).
        Content the server already holds is not sent again; a large file goes in parts and an
        interrupted upload resumes where the server's copy ends. Prints each path in the run.

Options:
  --out <dir>            where 'get' writes                       (default: .)
  --name <path>          the path in the run for 'put' of one file
                         (default: the local file's name)
  --json                 one JSON object per line on stdout
  --base-url <url>       the server (default: STEPWISE_BASE_URL, then the URL saved by
                         'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>        the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help             show this help

A progress line is drawn on stderr when it is a terminal and a transfer takes a while.

Examples:
  stepwise files ls me/mnist/abc123
  stepwise files get me/mnist/abc123 model/weights.bin config.json --out restored
  stepwise files put me/mnist/abc123 ./checkpoint.pt --name model/checkpoint.pt

Exit codes: 0 ok, 2 usage error, 3 damaged download or changed upload, 4 run, file or
            local file not found, 6 not authorised, 7 server unreachable.
`;
