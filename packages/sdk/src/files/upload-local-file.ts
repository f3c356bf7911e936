/**
 * An upload a person waits for (`api.run(…).upload()`, `stepwise files put`): hash the local
 * file, upload it, and try again twice after a pause when the server could not be reached or
 * failed — each try goes on where the server's copy ends. A file that changes while it is sent
 * is reported (FileChangedError), not chased.
 */
import { basename, resolve } from "node:path";
import type { RunRef } from "@stepwise/protocol";
import type { ServerTarget } from "../upload/server-target.js";
import { isRetryableFileError } from "./file-errors.js";
import { hashFileSource, type FileSource } from "./file-source.js";
import { uploadRunFile, type UploadFileOptions, type UploadFileResult } from "./file-upload.js";

/** Pauses before the second and the third try. */
const RETRY_PAUSES_MS = [1000, 3000];

export interface LocalUploadOptions extends UploadFileOptions {
  /** Path in the run. Default: the local file's name. */
  name?: string;
}

export async function uploadLocalFile(
  target: ServerTarget,
  ref: RunRef,
  localPath: string,
  options: LocalUploadOptions = {},
  pausesMs: readonly number[] = RETRY_PAUSES_MS,
): Promise<UploadFileResult> {
  const { name, ...uploadOptions } = options;
  const source: FileSource = { kind: "local", path: resolve(localPath) };
  const { size, sha256 } = await hashFileSource(source, options.signal);
  const file = { path: name ?? basename(source.path), source, size, sha256 };
  for (let attempt = 0; ; attempt++) {
    try {
      return await uploadRunFile(target, ref, file, uploadOptions);
    } catch (error) {
      const pause = pausesMs[attempt];
      if (pause === undefined || !isRetryableFileError(error) || options.signal?.aborted) throw error;
      await new Promise((done) => setTimeout(done, pause));
    }
  }
}
