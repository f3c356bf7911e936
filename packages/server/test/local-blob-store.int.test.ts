/** The BlobStore contract on local files, each test in a fresh temp directory. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { LocalBlobStore } from "../src/blob/local-blob-store.js";
import { blobStoreContract } from "./blob-contract/blob-store-contract.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

blobStoreContract(() => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-blob-"));
  made.push(dir);
  return Promise.resolve(new LocalBlobStore(join(dir, "files")));
});
