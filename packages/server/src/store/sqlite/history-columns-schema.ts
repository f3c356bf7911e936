/**
 * SQLite schema version 18: each run's history columns as logged (first-logged order and the
 * kinds each held), kept at ingest so that exports write in one pass. Listed in schema.ts.
 */
export const HISTORY_COLUMNS_SCHEMA: readonly string[] = [];
