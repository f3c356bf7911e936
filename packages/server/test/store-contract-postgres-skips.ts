/**
 * Store contract tests the PostgreSQL store skips, each with why (docs/storage.md, "PostgreSQL").
 * Each entry names the test and the reason; the skip check (store-contract/skips.ts) fails the
 * suite when a name matches no test.
 */
import type { ContractSkips } from "./store-contract/store-contract.js";

export const POSTGRES_NOT_BUILT: ContractSkips = {
  "scans packed rows as the text of the same rows, before and after compaction":
    "PostgreSQL keeps packed history blocks packed and formats them on read (pg-history.ts): compactHistory is not built there and answers 0; the scan half is covered by 'holds exactly the logged rows, JSON and packed batches alike, before and after compaction'",
};
