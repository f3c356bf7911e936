/** The Stepwise server: `loadConfig` validates options once, `startServer` runs the HTTP API on them. */
export { loadConfig, type ConfigFlags, type ServerConfig } from "./config.js";
export { startServer, type RunningServer, type StartOptions } from "./server.js";
export { ADMIN_KEY_FILE } from "./auth/admin-key.js";
export type { Store } from "./store/store.js";
export {
  checkStore,
  formatStoreCheck,
  type DamagedItem,
  type StoreCheckOptions,
  type StoreCheckReport,
} from "./store-check.js";
export { collectGarbageIn, formatGcReport, type GcReport, type GcRunOptions } from "./store-gc.js";
export { migrateDataDir, type MigrateOptions, type MigrateSummary } from "./migrate/migrate-data-dir.js";
export type { MoveProgress, MoveSummary } from "./migrate/move-summary.js";
