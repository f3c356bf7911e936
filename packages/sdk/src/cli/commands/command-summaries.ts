/**
 * The one-line summary of each training command, shown by `stepwise --help`. Kept apart from the
 * commands so the help lists them all without importing any (see ../lazy-command.ts); each
 * command module reads its own summary from here.
 */
export const COMMAND_SUMMARIES = {
  server: "run the Stepwise server and web UI (needs @stepwise/cli)",
  migrate: "copy a server's SQLite data directory into PostgreSQL (needs @stepwise/cli)",
  login: "check an API key against a server and store it for the SDK and CLI",
  export: "export a run's history, summary, config or metadata (local run directory or server)",
  runs: "list a project's runs on the server, filtered and ordered (table or JSON lines)",
  sync: "upload offline or partly uploaded runs from their local run directories",
  keys: "list, create and revoke the server's API keys (admin)",
  files: "list, download (get) and upload (put) a run's files on the server",
  presets: "list, show, save and remove chart presets (Vega-Lite) on the server",
  tables: "list a run's tables and export one as CSV or Parquet",
  artifact: "log (put), download (get), list (ls), delete (rm) and clean up (gc, cache cleanup) artifacts",
} as const;
