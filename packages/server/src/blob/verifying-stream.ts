/**
 * A measuring stream (hash and count, cut off past a limit) that, when the bytes end, lets
 * `check` refuse them: the refusal is the stream's error, so whatever consumes it (an S3
 * upload) never sees a clean end and keeps nothing. This is how the S3 blob store writes
 * straight to a blob's content key while proving the bytes are that content.
 */
import type { TransformCallback } from "node:stream";
import type { WrittenBlob } from "./blob-store.js";
import { MeasuringStream } from "./measuring-stream.js";

export class VerifyingStream extends MeasuringStream {
  /** What went through, once the bytes ended. */
  written: WrittenBlob | null = null;

  constructor(
    maxBytes: number,
    exceeded: () => Error,
    private readonly check: (written: WrittenBlob) => void,
  ) {
    super(maxBytes, exceeded);
  }

  override _flush(callback: TransformCallback): void {
    try {
      const written = { size: this.size, sha256: this.hash.digest("hex") };
      this.check(written);
      this.written = written;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
