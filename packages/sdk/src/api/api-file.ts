/**
 * A file of a server run: its metadata from `r.files()`, and `download()` which streams it to
 * `<root>/<path>` through a temporary file, so that an interrupted download leaves no partial
 * file under the real name.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { apiPaths, filePathSchema, type FileDto, type RunRef, UsageError } from "@stepwise/protocol";
import type { ApiHttp } from "./api-http.js";

export interface FileDownloadOptions {
  /** Folder the file's path is resolved against. Default: the current directory. */
  root?: string;
  /** Overwrite a file that is already there. Default true; false throws UsageError instead. */
  replace?: boolean;
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

  /** Writes the file to `<root>/<path>` and resolves to that absolute path. NotFoundError if the run has no such file. */
  async download(options: FileDownloadOptions = {}): Promise<string> {
    const target = resolve(options.root ?? ".", ...this.path.split("/"));
    if (options.replace === false && (await exists(target)))
      throw new UsageError(`${target} already exists; pass { replace: true } to overwrite it`);
    const response = await this.#http.send("GET", apiPaths.file(this.#run, this.path));
    await mkdir(dirname(target), { recursive: true });
    const partial = join(dirname(target), `.${process.pid}.${Date.now()}.download`);
    try {
      const body = response.body
        ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
        : Readable.from([]);
      await pipeline(body, createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
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
