/**
 * PostgreSQL schema version 8: what `stepwise migrate` records to resume a copy.
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 */
export const MOVE_MIGRATION: readonly string[] = [];
