/**
 * Opens what `stepwise migrate` names and copies one into the other (move-data.ts): a server's
 * SQLite data directory into PostgreSQL, its run files into the target's file store — S3 or an
 * S3-compatible store (`blobs`, endpoint and keys from the usual AWS variables), another data
 * directory's `files` (`toData`), or nowhere (neither: the files stay under the source
 * directory, which the new servers then use as their --data). A data directory whose files the
 * target uses is marked as the target's once every run checks out (migrate-marker.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import { openLocalFileStore } from "../blob/local-file-store.js";
import { parseS3Location, s3Settings } from "../blob/s3-location.js";
import { UrlSigner } from "../blob/url-signer.js";
import { FILES_DIR } from "../data-dir.js";
import { markTargetFilesDir, refuseOtherDatabase, type MigrateMarker } from "./migrate-marker.js";
import { moveData, type MoveOptions } from "./move-data.js";
import { openMoveSource } from "./move-source.js";
import type { MoveSummary } from "./move-summary.js";
import { openPgMoveTarget } from "./pg-move-target.js";

export interface MigrateOptions extends MoveOptions {
  /** The source server's data directory (its stepwise.db and files/). */
  from: string;
  /** The target PostgreSQL database, postgres://user:password@host:port/database (it must exist). */
  to: string;
  /** s3://bucket[/prefix]: copy run files there. */
  blobs?: string;
  /** A data directory: copy run files to its files/ (the new servers' --data). */
  toData?: string;
  /** Where the AWS variables come from (default none). */
  env?: NodeJS.ProcessEnv;
}

export interface MigrateSummary extends MoveSummary {
  /** `database.json` of the data directory whose files the target uses; null when they went to S3. */
  marker: MigrateMarker | null;
}

export async function migrateDataDir(options: MigrateOptions): Promise<MigrateSummary> {
  if (!/^postgres(ql)?:\/\//.test(options.to))
    throw new UsageError(
      `--to must be a PostgreSQL URL (postgres://user:password@host:port/database), not '${options.to}'`,
    );
  if (options.blobs !== undefined && options.toData !== undefined)
    throw new UsageError("--blobs and --to-data both name where run files go; give one of them");
  refuseOtherDatabase(options);
  const files = await openTargetFiles(options);
  const source = await openMoveSource(options.from).catch(async (error: unknown) => {
    await files.blobs?.close();
    throw error;
  });
  try {
    const target = await openPgMoveTarget(options.to, files.blobs, files.where).catch(
      async (error: unknown) => {
        await files.blobs?.close();
        throw error;
      },
    );
    try {
      const summary = await moveData(source, target, options);
      const verified = summary.verified.mismatches.length === 0;
      const at = new Date((options.now?.() ?? Date.now() / 1000) * 1000);
      return { ...summary, marker: await markTargetFilesDir(options, verified, at) };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function openTargetFiles(options: MigrateOptions): Promise<{ blobs: BlobStore | null; where: string }> {
  if (options.blobs !== undefined) {
    const settings = s3Settings(parseS3Location(options.blobs, "--blobs"), options.env ?? {});
    const { S3BlobStore } = await import("../blob/s3-blob-store.js");
    // Only blobs are written: the URL signer is never asked for a URL.
    const store = await S3BlobStore.open(settings, new UrlSigner(randomBytes(32)));
    return { blobs: store, where: store.location };
  }
  if (options.toData !== undefined) {
    await mkdir(options.toData, { recursive: true, mode: 0o700 });
    const { blobs } = await openLocalFileStore(options.toData, () => undefined);
    return { blobs, where: blobs.root };
  }
  return { blobs: null, where: `${join(options.from, FILES_DIR)} (left in place)` };
}
