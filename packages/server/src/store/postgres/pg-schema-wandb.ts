/**
 * PostgreSQL schema version 10: the W&B-compatible endpoints' state that outlives one request
 * (see sqlite/wandb-state-schema.ts). Listed in pg-schema.ts.
 */
export const WANDB_MIGRATION: readonly string[] = [];
