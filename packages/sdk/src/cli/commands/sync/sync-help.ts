/** `stepwise sync --help`. */
export const SYNC_HELP = `Usage: stepwise sync [run-dir...] [--base-url <url>] [--api-key <key>] [--all] [--resume | --new-id] [--json]

Uploads runs logged offline, or only partly uploaded (server down, finish timeout, killed
process), from their local run directories. Each run continues where its last upload to this
server stopped (the server is asked what it has: another server, or one restored from a
backup, gets everything it lacks) and is marked synced to that server when it holds every row
the run's log gives back, so a second sync sends nothing. Runs are uploaded 4 at a time. A run
whose process died without finishing is uploaded as it is and stays crashed on the server.
Each run's line says how many rows its log gave back, how many the server has, and how many
damaged bytes in the log cost. The run's files (run.save(), config.json, summary.json,
metadata.json, diff.patch) are uploaded too: only content the server lacks is sent, and a large
file cut off by a killed process continues from what the server kept; the line says how many
files were uploaded and how many bytes sent, or failed.

Without run-dir, every run directory under ./stepwise (or $STEPWISE_DIR/stepwise) that is not
synced to this server yet.

Options:
  --base-url <url>  the server (default STEPWISE_BASE_URL, then the credentials file of
                    'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>   the API key (default STEPWISE_API_KEY, then the credentials file)
  --all             without run-dir: every run directory, synced or not (after restoring
                    the server from a backup)
  --resume          a run whose id the server has from another process (refused, exit 8):
                    append it to that run, after its last step, as init()'s resume would
  --new-id          such a run: upload it as a run of its own under a fresh id
                    (either choice is kept for later syncs of the directory)
  --json            print one JSON object per run on stdout
  -h, --help        show this help

Exit status: 0 when the server has every readable row of every run, 1 when any run failed
(nothing is marked synced then), 8 when the server refused a run id that another process wrote
(nothing of it is stored; rerun with --resume or --new-id).
`;
