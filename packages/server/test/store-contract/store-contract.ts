/**
 * The whole Store contract, topic by topic. Every implementation runs it with a factory that
 * opens a fresh, empty store, and an opener of two stores on one fresh, empty database (two
 * connections, as two API servers have) for the concurrency topic:
 * `storeContract(() => openSqliteStore(tempPath()), { openPair })`. `skip` names tests this
 * backend skips, each with its reason (skips.ts).
 */
import { alertsContract } from "./alerts.js";
import { artifactsContract } from "./artifacts.js";
import { concurrencyContract, type StorePairFactory } from "./concurrency.js";
import { filesContract } from "./files.js";
import { garbageCollectionContract } from "./garbage-collection.js";
import { historyContract } from "./history.js";
import { historyNdjsonContract } from "./history-ndjson.js";
import { ingestContract } from "./ingest.js";
import { keysContract } from "./keys.js";
import { mediaContract } from "./media.js";
import { packedHistoryContract } from "./packed-history.js";
import { registryContract } from "./registry.js";
import { runListingContract } from "./run-listing.js";
import { runsContract } from "./runs.js";
import { seriesContract } from "./series.js";
import { seriesKeysContract } from "./series-keys.js";
import { registerSkips, type ContractSkips } from "./skips.js";
import { structuredContract } from "./structured.js";
import { wandbStateContract } from "./wandb-state.js";
import { writersContract } from "./writers.js";
import type { StoreFactory } from "./contract-setup.js";

export type { ContractSkips, StoreFactory, StorePairFactory };

export interface ContractOptions {
  /** Two stores on one fresh, empty database, each with its own connection. */
  openPair: StorePairFactory;
  skip?: ContractSkips;
}

export function storeContract(factory: StoreFactory, options: ContractOptions): void {
  registerSkips(options.skip ?? {});
  runsContract(factory);
  runListingContract(factory);
  ingestContract(factory);
  historyContract(factory);
  historyNdjsonContract(factory);
  packedHistoryContract(factory);
  seriesContract(factory);
  seriesKeysContract(factory);
  filesContract(factory);
  garbageCollectionContract(factory);
  keysContract(factory);
  writersContract(factory);
  mediaContract(factory);
  structuredContract(factory);
  alertsContract(factory);
  artifactsContract(factory);
  registryContract(factory);
  concurrencyContract(options.openPair);
  wandbStateContract(factory, options.openPair);
}
