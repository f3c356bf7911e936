/** What every handler can reach: the Hono environment type and the app's dependencies. */
import type { HttpBindings } from "@hono/node-server";
import type { Principal } from "../auth/principal.js";
import type { BlobLeases, BlobStore } from "../blob/blob-store.js";
import type { RunFileChannel } from "../blob/run-file-channel.js";
import type { UrlSigner } from "../blob/url-signer.js";
import type { ServerConfig } from "../config.js";
import type { Store } from "../store/store.js";
import type { TableLibrary } from "../store/tables/table-library.js";

export interface AppEnv {
  /** Absent when the app is driven without a Node server (`app.request()`). */
  Bindings: Partial<HttpBindings>;
  Variables: { principal: Principal };
}

export interface AppDeps {
  store: Store;
  blobs: BlobStore & BlobLeases;
  /** Declarations, parts and whole-body puts of run files (blob/run-file-channel.ts). */
  files: RunFileChannel;
  /** Verifies the signed upload and download URLs that `blobs` hands out. */
  urls: UrlSigner;
  config: ServerConfig;
  /** Unix seconds; injectable so that tests can move time. */
  now: () => number;
  /** The stored tables (store/tables/table-library.ts); the routes make their own when absent. */
  tables?: TableLibrary;
  /** Told of every ingest batch (the history compactor waits for ingestion to go idle). */
  onIngest?: () => void;
}
