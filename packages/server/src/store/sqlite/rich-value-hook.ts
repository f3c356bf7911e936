/**
 * Rich values hook: the extension point of the SQLite ingest path for history values that are
 * not numbers. Ingestion collects them (ingest/rich-values.ts); after the rows are stored, each
 * extension receives them inside the batch's transaction, so what it writes is committed or rolled back with the rows. A re-sent row is
 * never collected (the batch skips it), so an extension sees each stored row once.
 *
 * Extensions: key kinds (key-kind-records.ts), the media index (media-records.ts). To add one,
 * implement RichValueExtension and append it to the list SqliteStore gives SqliteIngestPort.
 */
import type { RichValue } from "../../ingest/rich-values.js";

// Collected by ingestion (ingest/rich-values.ts); re-exported for the extensions.
export { RichValueCollector, type RichValue } from "../../ingest/rich-values.js";

export interface RichValueExtension {
  /** Called once per batch that stored at least one rich value, in row order. */
  apply(runPk: number, values: readonly RichValue[]): void;
  /** Removes what it derived for the run, so a rebuild (rich-value-rebuild.ts) starts from nothing; an extension whose writes are idempotent may leave it out. */
  clearRun?(runPk: number): void;
}
