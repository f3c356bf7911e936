/**
 * A pass-through stream that hashes (sha256) and counts the bytes going through it, and stops
 * the stream with the caller's error as soon as they exceed a limit, so a body too large is cut
 * off while it arrives rather than after it was written whole.
 */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export class MeasuringStream extends Transform {
  size = 0;
  readonly hash: Hash;

  constructor(
    private readonly maxBytes: number,
    private readonly exceeded: () => Error,
    hash?: Hash,
  ) {
    super();
    this.hash = hash ?? createHash("sha256");
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.size + chunk.length > this.maxBytes) {
      callback(this.exceeded());
      return;
    }
    this.size += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }
}
