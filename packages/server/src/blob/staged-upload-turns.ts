/**
 * What every staged upload store (local-staged-uploads.ts, s3-staged-uploads.ts) does the same
 * way, whatever holds the bytes: the parts and completion of one upload run one at a time in this
 * process; a part that starts past the bytes received waits a while for the part before it (the
 * client keeps two in flight); a part must start exactly where the upload has reached; and the
 * sha256 of the bytes so far is kept in memory while this process has seen them all, so
 * completing costs no second read.
 */
import { createHash, type Hash } from "node:crypto";
import { StepwiseError, UploadOffsetError } from "@stepwise/protocol";
import { MeasuringStream } from "./measuring-stream.js";

/** How long a part waits for the part before it to arrive (see predecessor()). */
const PREDECESSOR_WAIT_MS = 2000;

/** A part let in: the stream to pipe its body through, and the running hash it continues (if known). */
export interface OpenPart {
  measure: MeasuringStream;
  /** The hash of the bytes before the part, when this process has seen them all. */
  before: Hash | undefined;
}

export class StagedUploadTurns {
  /** Per upload: the hash of its first `bytes` bytes, while this process has seen them all. */
  private readonly hashes = new Map<string, { hash: Hash; bytes: number }>();
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(
    /** The bytes an upload holds, or null when there is no such upload. */
    private readonly received: (id: string) => Promise<number | null>,
    /** How often a waiting part looks again. */
    private readonly pollMs: number,
  ) {}

  /** A new, empty upload: its hash starts here. */
  begun(id: string): void {
    this.hashes.set(id, { hash: createHash("sha256"), bytes: 0 });
  }

  /**
   * A part that starts past the bytes received waits while the part before it is written, or
   * for a while for it to arrive; then its offset is checked (open()).
   */
  async predecessor(id: string, offset: number): Promise<void> {
    const deadline = Date.now() + PREDECESSOR_WAIT_MS;
    for (;;) {
      const received = await this.received(id);
      if (received === null || received >= offset) return;
      const running = this.busy.get(id);
      if (running !== undefined) await running;
      else if (Date.now() >= deadline) return;
      else await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /** Runs `work` after every earlier turn of upload `id` has settled. */
  async oneAtATime<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.busy.get(id) ?? Promise.resolve();
    const done = before.then(work, work);
    const settled = done.catch(() => undefined);
    this.busy.set(id, settled);
    try {
      return await done;
    } finally {
      if (this.busy.get(id) === settled) this.busy.delete(id);
    }
  }

  /**
   * Lets in a part at `offset` of an upload holding `received` bytes (inside a turn): refused
   * unless it starts exactly there; its body is measured against `maxBytes` and, when the
   * bytes before it were all seen here, hashed on from them (`copyHash`: on a copy, so a part
   * that fails leaves the running hash as it was). The cached hash is taken: keep() puts back
   * the one that holds after the part.
   */
  open(id: string, offset: number, received: number, maxBytes: number, copyHash: boolean): OpenPart {
    if (received !== offset)
      throw new UploadOffsetError(
        received,
        `this part starts at byte ${offset}, but the server has ${received} bytes of the upload; send from byte ${received}`,
      );
    const before = this.take(id, offset);
    const measure = new MeasuringStream(
      maxBytes,
      () =>
        new StepwiseError(
          "PAYLOAD_TOO_LARGE",
          `this part is longer than ${maxBytes} bytes (the most one part may carry here, or the bytes left of the declared size); nothing of it was kept`,
        ),
      before === undefined ? undefined : copyHash ? before.copy() : before,
    );
    return { measure, before };
  }

  /** The running hash of upload `id`'s first `bytes` bytes, taken out of the cache; undefined when unknown. */
  take(id: string, bytes: number): Hash | undefined {
    const cached = this.hashes.get(id);
    this.hashes.delete(id);
    return cached !== undefined && cached.bytes === bytes ? cached.hash : undefined;
  }

  /** Caches `hash` as that of upload `id`'s first `bytes` bytes. */
  keep(id: string, hash: Hash, bytes: number): void {
    this.hashes.set(id, { hash, bytes });
  }

  forget(id: string): void {
    this.hashes.delete(id);
  }
}
