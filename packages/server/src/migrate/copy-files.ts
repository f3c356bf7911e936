/**
 * Copies one run's file records, and their blobs when the target has a file store of its own
 * (`--blobs s3://…` or `--to-data <dir>`): a blob the target already holds (content-addressed:
 * same sha256, same bytes) is not sent again, and every write is checked against the record's
 * size and sha256 by the blob store, so a damaged source file stops the copy naming it. Records
 * are put as the source has them (replacing the target's, so a rerun changes nothing).
 */
import { CorruptDataError, type RunRef } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import type { Store, StoredFile } from "../store/store.js";

export interface CopiedFiles {
  records: number;
  blobs: number;
  bytes: number;
}

export async function copyFiles(
  from: { store: Store; blobs: BlobStore },
  to: { store: Store; blobs: BlobStore | null },
  ref: RunRef,
  files: readonly StoredFile[],
): Promise<CopiedFiles> {
  const copied: CopiedFiles = { records: 0, blobs: 0, bytes: 0 };
  for (const file of files) {
    if (to.blobs !== null && (await to.blobs.head(file.sha256)) === null) {
      const body = await from.blobs.get(file.sha256);
      if (body === null)
        throw new CorruptDataError(
          `run ${ref.entity}/${ref.project}/${ref.runId}: file ${file.path} has no content in the source ` +
            `(blob ${file.sha256} is missing; stepwise server --check lists such files)`,
        );
      await to.blobs.put(body, { size: file.size, sha256: file.sha256 });
      copied.blobs++;
      copied.bytes += file.size;
    }
    await to.store.putFile(ref, file);
    copied.records++;
  }
  return copied;
}
