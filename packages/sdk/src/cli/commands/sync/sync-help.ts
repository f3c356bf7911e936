/** `stepwise sync --help`. */
export const SYNC_HELP = `Usage: stepwise sync [run-dir...] [--base-url <url>] [--api-key <key>] [--json]

Uploads runs logged offline, or only partly uploaded (server down, finish timeout, killed
process), from their local run directories. Each run continues where its last upload stopped
(run-dir/upload-state.json) and is marked synced when the server has every record, so a second
sync sends nothing. Runs are uploaded 4 at a time. A run whose process died without finishing
is uploaded as it is and stays crashed on the server.

Without run-dir, every run directory under ./stepwise (or $STEPWISE_DIR/stepwise) that is not
synced yet.

Options:
  --base-url <url>  the server (default STEPWISE_BASE_URL, then the credentials file of
                    'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>   the API key (default STEPWISE_API_KEY, then the credentials file)
  --json            print one JSON object per run on stdout
  -h, --help        show this help

Exit status: 0 when every run is synced, 1 when any run failed.
`;
