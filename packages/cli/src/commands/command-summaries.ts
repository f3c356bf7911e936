/**
 * The one-line summaries of this package's commands, shown by `stepwise --help` without
 * importing the commands themselves (see main.ts); each command module reads its own from here.
 */
export const COMMAND_SUMMARIES = {
  server: "run the Stepwise server (web UI + HTTP API; SQLite + local files, or PostgreSQL / S3)",
  migrate: "copy a SQLite data directory into PostgreSQL (+ files to S3), resumable and verified",
} as const;
