/**
 * Store contract tests the PostgreSQL store skips, each with why (docs/storage.md, "PostgreSQL").
 * Each entry names the test and the reason; the skip check (store-contract/skips.ts) fails the
 * suite when a name matches no test.
 */
import type { ContractSkips } from "./store-contract/store-contract.js";

export const POSTGRES_NOT_BUILT: ContractSkips = {};
