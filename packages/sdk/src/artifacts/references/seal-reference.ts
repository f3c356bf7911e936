/**
 * The manifest entries of a reference as an artifact is sealed, by scheme: `file://` hashed
 * (sha256), `http(s)://` its ETag (http-reference.ts), `s3://` its ETag and version, a folder
 * one entry per object (s3-reference.ts). `checksum: false` records the URI alone, as does an
 * unknown scheme (with a warning). One S3 client serves every s3:// reference of the artifact.
 */
import { fileURLToPath } from "node:url";
import type { ManifestEntry } from "@stepwise/protocol";
import { hashFile } from "../hash-file.js";
import type { PendingReference } from "./pending-reference.js";
import { sealHttpReference } from "./http-reference.js";
import { LazyS3 } from "./s3-client.js";
import { sealS3Reference } from "./s3-reference.js";

/** Schemes whose content can be checked and fetched. */
export const FETCHED_SCHEMES: ReadonlySet<string> = new Set(["file:", "http:", "https:", "s3:"]);

export class ReferenceSealer {
  private readonly s3: LazyS3;

  constructor(
    private readonly artifact: string,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.s3 = new LazyS3(env);
  }

  async entries(reference: PendingReference, warnings: string[]): Promise<ManifestEntry[]> {
    const { path, uri } = reference;
    const scheme = new URL(uri).protocol;
    const byUri = [{ path, ref: uri, digest: uri, size: null }];
    if (!FETCHED_SCHEMES.has(scheme)) {
      if (reference.checksum)
        warnings.push(
          `artifact ${this.artifact}: the reference '${uri}' has the scheme ${scheme}, which Stepwise cannot read; recorded by its URI only`,
        );
      return byUri;
    }
    if (!reference.checksum) return byUri;
    if (scheme === "file:") {
      const { sha256, size } = await hashFile(fileURLToPath(uri), reference);
      return [{ path, ref: uri, digest: sha256, size }];
    }
    if (scheme === "s3:") return sealS3Reference(this.artifact, reference, await this.s3.get());
    return [await sealHttpReference({ artifact: this.artifact, path, uri }, uri, path)];
  }

  close(): Promise<void> {
    return this.s3.close();
  }
}
