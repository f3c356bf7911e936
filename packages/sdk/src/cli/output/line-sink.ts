/**
 * Batches output lines into ~64 KiB writes and respects backpressure. One write per line costs
 * a syscall per row on a pipe; 64 KiB matches the Linux pipe buffer, so a chunk fills it in one
 * go. When the reader goes away (EPIPE, as with `| head`) the sink marks itself closed and drops
 * the rest: exporters stop early and the command still exits 0.
 */
import type { Writable } from "node:stream";

const CHUNK_CHARS = 64 * 1024;

export class LineSink {
  /** True once the reader has gone away; later writes are dropped. */
  closed = false;
  private buffer = "";
  private failure: Error | null = null;
  private readonly onError = (error: Error): void => {
    if ((error as NodeJS.ErrnoException).code === "EPIPE") this.closed = true;
    else this.failure ??= error;
  };

  constructor(
    private readonly stream: Writable,
    private readonly chunkChars = CHUNK_CHARS,
  ) {
    stream.on("error", this.onError);
  }

  /** Buffers text; returns true when a chunk is full and the caller should `await flush()`. */
  add(text: string): boolean {
    this.buffer += text;
    return this.buffer.length >= this.chunkChars;
  }

  /** Writes what is buffered, waiting while the stream is full. Throws the stream's error, if any. */
  async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.closed || this.stream.destroyed) {
      this.closed = true;
      this.buffer = "";
      return;
    }
    if (this.buffer !== "") {
      const chunk = this.buffer;
      this.buffer = "";
      if (!this.stream.write(chunk)) await drainOrClose(this.stream);
      // Pipe writes are synchronous on Linux and report EPIPE on a later tick: yield once per
      // chunk (microseconds per 64 KiB) so a closed reader stops the export promptly.
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.throwIfFailed();
  }

  /** Stops listening to the stream; call when done with it. */
  release(): void {
    this.stream.off("error", this.onError);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** Resolves on "drain", or on "close"/"error" so a dead stream cannot leave the export hanging. */
function drainOrClose(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}
