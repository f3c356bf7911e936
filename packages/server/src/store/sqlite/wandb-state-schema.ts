/**
 * SQLite schema version 17: the W&B-compatible endpoints' state that outlives one request (an
 * artifact being built between `createArtifact` and `commitArtifact`, a resumed client's console
 * offset), kept in the database so that any server answers any request. Listed in schema.ts.
 */
export const WANDB_STATE_SCHEMA: readonly string[] = [];
