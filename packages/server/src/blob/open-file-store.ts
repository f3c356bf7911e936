/**
 * Opens the file store a server config names: local files under the data directory (the
 * default), or S3 / an S3-compatible object store for `--blobs s3://bucket/prefix`, with the
 * endpoint, region and credentials from the usual AWS environment variables. The AWS SDK is
 * loaded only in the second case. The URL signing key stays in the data directory either way
 * (it signs upload URLs and embed tokens).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FILES_DIR } from "../data-dir.js";
import type { CollectableBlobs } from "./garbage-collector.js";
import { openLocalFileStore } from "./local-file-store.js";
import type { S3Settings } from "./s3-location.js";
import { UrlSigner } from "./url-signer.js";

export interface FileStore {
  blobs: CollectableBlobs;
  urls: UrlSigner;
}

export async function openFileStore(
  dataDir: string,
  settings: S3Settings | undefined,
  log: (line: string) => void,
): Promise<FileStore> {
  if (settings === undefined) return openLocalFileStore(dataDir, log);
  const urls = await UrlSigner.forDataDir(dataDir);
  const { S3BlobStore } = await import("./s3-blob-store.js");
  const store = await S3BlobStore.open(settings, urls);
  const local = join(dataDir, FILES_DIR, "blobs", "sha256");
  if (existsSync(local) && readdirSync(local).length > 0)
    log(
      `Files go to ${store.location}, but ${local} holds files stored locally before: they are not served from S3 (copy them with 'stepwise migrate', or start without --blobs)`,
    );
  return { blobs: store, urls };
}
