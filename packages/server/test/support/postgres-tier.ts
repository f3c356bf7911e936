/**
 * The test files of the "postgres" tier (vitest.config.ts): the HTTP tests that run again with
 * every server on a fresh database of one PostgreSQL cluster (postgres-global-setup.ts), so that
 * PostgreSQL keeps every guarantee the SQLite store has. The rest of the tests that start servers
 * through the harness are left out, each for the reason beside it.
 */
export const POSTGRES_TIER_FILES = [
  "http-alerts",
  "http-api-keys",
  "http-artifacts",
  "http-artifacts-distributed",
  "http-auth",
  "http-bad-input",
  "http-data",
  "http-embed-tokens",
  "gc-derived-files",
  "http-file-downloads",
  "http-file-gc",
  "http-file-legacy-layout",
  "http-file-paths",
  "http-file-puts",
  "http-file-upload-process",
  "http-file-uploads",
  "http-histograms",
  "http-ingest-limits",
  "http-ingest-lines",
  "http-ingest-packed",
  "http-key-kinds",
  "http-limits",
  "http-loopback-guard",
  "http-media",
  "http-media-batch",
  "http-nul-characters",
  "http-presets",
  "http-registry",
  "http-runs",
  "http-runs-select",
  "http-series-ui",
  "http-shutdown",
  "http-structured-bad-input",
  "http-tables",
  "http-tables-damage",
  "http-tables-nan",
  "http-tables-storage-full",
  "http-thumbnails",
  "media-index-sdk",
  "wandb-artifact-protocol",
  "wandb-protocol",
].map((name) => `packages/server/test/${name}.int.test.ts`);

// Left out:
// - http-store-damage, data-dir-permissions, media-index-rebuild, structured-rebuild: they open,
//   damage or check the modes of the data directory's SQLite file.
// - http-storage-full: a full disk under the SQLite file (PostgreSQL keeps its data elsewhere).
// - http-client-input-store-errors: pins SQLite's limit on bound values (PostgreSQL has none
//   that these filters reach).
// - http-instance-id: the id lives in the store, and a copy of the data directory gets a new
//   database here.
// - http-tables-million: 16 s for tables, which live in the data directory on both stores.
// - http-web-assets: serves the web build, reads no store.
// - http-slow-clients, http-tables-off-thread, http-tables-process and the other wandb-* files
//   start their own server processes, not through the harness.
