/**
 * An output file that appears whole or not at all: data goes to `<path>.tmp`, which is flushed
 * to disk and renamed over `<path>` on commit, so a reader (or a crash) never sees half a file.
 * A path that is not a regular file — `/dev/null`, `/dev/stdout`, a named pipe — is written
 * directly: renaming a file over it would replace the device or pipe itself (as root, a
 * regular file where /dev/null was).
 */
import { createWriteStream, openSync, statSync, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { finished } from "node:stream/promises";
import { NotFoundError } from "@stepwise/protocol";

export class AtomicFile {
  readonly stream: WriteStream;
  /** null: `path` is a device or a pipe, written directly. */
  private readonly tempPath: string | null;

  /** Creates `<path>.tmp` at once, so a bad path fails before any work is done. */
  constructor(readonly path: string) {
    if (isSpecialFile(path)) {
      this.tempPath = null;
      this.stream = createWriteStream(path, { fd: openSync(path, "w") });
      return;
    }
    this.tempPath = `${path}.tmp`;
    // flush: fsync before close, so the rename never publishes a file whose data is not on disk.
    this.stream = createWriteStream(this.tempPath, { fd: openTemp(path, this.tempPath), flush: true });
  }

  /** Closes the temporary file and renames it into place. */
  async commit(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    if (this.tempPath !== null) await rename(this.tempPath, this.path);
  }

  /** Drops the temporary file; never throws, since it runs while another error is on its way out. */
  async abort(): Promise<void> {
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    if (this.tempPath !== null) await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

/** Whether `path` exists and is something other than a regular file (a device, a pipe, a socket). */
function isSpecialFile(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && !stat.isFile() && !stat.isDirectory();
}

function openTemp(path: string, tempPath: string): number {
  try {
    return openSync(tempPath, "w");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new NotFoundError(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
    }
    throw error;
  }
}
