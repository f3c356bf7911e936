/** The BlobStore contract on local files, each test in a fresh temp directory. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach } from "vitest";
import { LocalBlobStore } from "../src/blob/local-blob-store.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { blobStoreContract } from "./blob-contract/blob-store-contract.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else out.push(relative(root, join(dir, entry.name)));
    }
  };
  walk(root);
  return out.sort();
}

blobStoreContract(
  () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-blob-"));
    made.push(dir);
    const root = join(dir, "files");
    const signer = new UrlSigner(randomBytes(32));
    return Promise.resolve({
      store: new LocalBlobStore(root, signer),
      reopen: () => Promise.resolve(new LocalBlobStore(root, signer)),
      storedObjects: () => Promise.resolve(filesUnder(root)),
    });
  },
  { backend: "local files" },
);
