/**
 * A file of a server run: its metadata from `r.files()`, and `download()`, which goes through
 * the file client: a temporary file renamed into place once its sha256 is the server's, and a
 * download cut short resumes from its partial file next time (files/file-download.ts).
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  apiPaths,
  filePathSchema,
  NotFoundError,
  type FileDto,
  type RunRef,
  UsageError,
} from "@stepwise/protocol";
import { downloadRunFile } from "../files/file-client.js";
import type { ApiHttp } from "./api-http.js";

export interface FileDownloadOptions {
  /** Folder the file's path is resolved against. Default: the current directory. */
  root?: string;
  /** Overwrite a file that is already there. Default true; false throws UsageError instead. */
  replace?: boolean;
  /** Bytes on disk so far, of `total`. */
  onProgress?: (received: number, total: number) => void;
  signal?: AbortSignal;
}

export class ApiFile {
  /** The file's path inside the run (`/`-separated), as shown by `r.files()`. */
  readonly path: string;
  /** Size in bytes, SHA-256 (hex), content type and Unix seconds of the last change; null for a handle from `r.file(name)`. */
  readonly size: number | null;
  readonly sha256: string | null;
  readonly contentType: string | null;
  readonly updatedAt: number | null;
  readonly #http: ApiHttp;
  readonly #run: RunRef;

  constructor(http: ApiHttp, run: RunRef, file: FileDto | { path: string }) {
    if (!filePathSchema.safeParse(file.path).success)
      throw new UsageError(
        `file name ${JSON.stringify(file.path)} must be a relative path with / separators and no . or .. segment`,
      );
    this.#http = http;
    this.#run = run;
    this.path = file.path;
    const known = "size" in file ? file : null;
    this.size = known?.size ?? null;
    this.sha256 = known?.sha256 ?? null;
    this.contentType = known?.contentType ?? null;
    this.updatedAt = known?.updatedAt ?? null;
  }

  /** Alias of `path`, as W&B names it. */
  get name(): string {
    return this.path;
  }

  /**
   * Writes the file to `<root>/<path>` and resolves to that absolute path. NotFoundError if the
   * run has no such file (or no such run); CorruptDataError if the bytes that arrived are not
   * the server's (sha256); a StepwiseError UNAVAILABLE if the server cannot be reached.
   */
  async download(options: FileDownloadOptions = {}): Promise<string> {
    const target = resolve(options.root ?? ".", ...this.path.split("/"));
    if (options.replace === false && (await exists(target)))
      throw new UsageError(`${target} already exists; pass { replace: true } to overwrite it`);
    const file = await downloadRunFile(this.#http.target, this.#run, this.path, target, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (file === null)
      throw new NotFoundError(
        `run file '${this.path}' does not exist in run ${this.#run.entity}/${this.#run.project}/${this.#run.runId}`,
      );
    return target;
  }

  /** The whole file in memory (for small files: configs, logs). */
  async bytes(): Promise<Uint8Array> {
    const response = await this.#http.send("GET", apiPaths.file(this.#run, this.path));
    return new Uint8Array(await response.arrayBuffer());
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
