/**
 * PostgreSQL schema version 7: what several servers on one database share (fleet jobs, change notices).
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 */
export const FLEET_MIGRATION: readonly string[] = [];
