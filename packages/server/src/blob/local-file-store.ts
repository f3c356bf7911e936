/**
 * Opens the local file store of a data directory (`<data>/files`) with its URL signing key
 * (`<data>/url-signing-key`, made on the first start), moving files of the layout before
 * content-addressed blobs into it first (legacy-file-layout.ts).
 */
import { join } from "node:path";
import { FILES_DIR } from "../data-dir.js";
import { migrateLegacyFiles } from "./legacy-file-layout.js";
import { LocalBlobStore } from "./local-blob-store.js";
import { UrlSigner } from "./url-signer.js";

export interface LocalFileStore {
  blobs: LocalBlobStore;
  urls: UrlSigner;
}

export async function openLocalFileStore(
  dataDir: string,
  log: (line: string) => void,
): Promise<LocalFileStore> {
  const urls = await UrlSigner.forDataDir(dataDir);
  const blobs = new LocalBlobStore(join(dataDir, FILES_DIR), urls);
  const moved = await migrateLegacyFiles(blobs.root, blobs);
  if (moved > 0) log(`Moved ${moved} run file(s) to the content-addressed file store (${blobs.root}/blobs)`);
  return { blobs, urls };
}
