/**
 * Resumable uploads on local files, the local twin of an S3 multipart upload: `uploads/<id>`
 * grows part by part at the offset it has reached (each part synced before it is acknowledged,
 * so `received` survives a crash; a part that starts where one still being written will end
 * waits for it rather than being refused), and on completion is hashed, checked and renamed into the
 * blob folder. The sha256 of the bytes so far is kept in memory while the process lives, so
 * completing costs no second read; after a restart the file is read once to hash it.
 * Parts and completion of one upload run one at a time in this process.
 */
import { createHash, randomBytes, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidDataError, NotFoundError, StepwiseError, UploadOffsetError } from "@stepwise/protocol";
import { errorCode } from "../storage/storage-full.js";
import type { StagedUploadInfo, WrittenBlob } from "./blob-store.js";
import { syncFile } from "./local-files.js";
import { MeasuringStream } from "./measuring-stream.js";

const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Most bytes of a part gathered for one write. */
const WRITE_BYTES = 4 * 1024 * 1024;
/** How long a part waits for the part before it to arrive (see predecessor()). */
const PREDECESSOR_WAIT_MS = 2000;

export class LocalStagedUploads {
  /** Per upload: the hash of its first `bytes` bytes, while this process has seen them all. */
  private readonly hashes = new Map<string, { hash: Hash; bytes: number }>();
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dir: string,
    private readonly place: (source: string, sha256: string) => Promise<void>,
  ) {}

  async begin(): Promise<string> {
    const id = randomBytes(16).toString("hex");
    await mkdir(this.dir, { recursive: true });
    const handle = await open(this.pathOf(id), "wx", 0o600);
    await handle.close();
    this.hashes.set(id, { hash: createHash("sha256"), bytes: 0 });
    return id;
  }

  async status(id: string): Promise<StagedUploadInfo | null> {
    try {
      const info = await stat(this.pathOf(id));
      return { id, received: info.size, modifiedAt: info.mtimeMs / 1000 };
    } catch (error) {
      if (errorCode(error) === "ENOENT") return null;
      throw error;
    }
  }

  async append(id: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    await this.predecessor(id, offset);
    const path = this.pathOf(id);
    const received = await this.oneAtATime(id, async () => {
      const received = await this.receivedOrMissing(id);
      if (received !== offset)
        throw new UploadOffsetError(
          received,
          `this part starts at byte ${offset}, but the server has ${received} bytes of the upload; send from byte ${received}`,
        );
      const cached = this.hashes.get(id);
      const hash = cached !== undefined && cached.bytes === offset ? cached.hash : undefined;
      this.hashes.delete(id);
      const measure = new MeasuringStream(
        maxBytes,
        () =>
          new StepwiseError(
            "PAYLOAD_TOO_LARGE",
            `this part is longer than ${maxBytes} bytes (the most one part may carry here, or the bytes left of the declared size); nothing of it was kept`,
          ),
        hash,
      );
      try {
        // Socket reads gather while a write is under way and go out as one writev.
        const file = createWriteStream(path, { flags: "r+", start: offset, highWaterMark: WRITE_BYTES });
        await pipeline(body, measure, file);
      } catch (error) {
        // A part over the limit is refused whole; a body cut short keeps what arrived (the
        // client resumes after it, as HEAD or a declaration says).
        if (error instanceof StepwiseError && error.code === "PAYLOAD_TOO_LARGE")
          await truncate(path, offset);
        throw error;
      }
      if (hash !== undefined) this.hashes.set(id, { hash, bytes: offset + measure.size });
      return offset + measure.size;
    });
    // Synced outside the turn: the next part is written while this one reaches the disk, and
    // this one is acknowledged only once it is there.
    await syncFile(path);
    return received;
  }

  /**
   * A part that starts past the bytes received waits while the part before it (the client
   * keeps two in flight) is written, or for a while for it to arrive; then its offset is checked.
   */
  private async predecessor(id: string, offset: number): Promise<void> {
    const deadline = Date.now() + PREDECESSOR_WAIT_MS;
    for (;;) {
      const info = await this.status(id);
      if (info === null || info.received >= offset) return;
      const running = this.busy.get(id);
      if (running !== undefined) await running;
      else if (Date.now() >= deadline) return;
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Hashes the bytes, lets `check` refuse them (the upload is then removed), else places them. */
  complete(id: string, check: (written: WrittenBlob) => void): Promise<WrittenBlob> {
    return this.oneAtATime(id, async () => {
      const path = this.pathOf(id);
      const size = await this.receivedOrMissing(id);
      const cached = this.hashes.get(id);
      this.hashes.delete(id);
      const sha256 =
        cached !== undefined && cached.bytes === size ? cached.hash.digest("hex") : await hashFile(path);
      const written = { size, sha256 };
      try {
        check(written);
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      await this.place(path, sha256);
      return written;
    });
  }

  async abort(id: string): Promise<void> {
    this.hashes.delete(id);
    await rm(this.pathOf(id), { force: true });
  }

  async *list(): AsyncIterable<StagedUploadInfo> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return;
      throw error;
    }
    for (const name of names) {
      if (!UPLOAD_ID.test(name)) continue;
      const info = await this.status(name);
      if (info !== null) yield info;
    }
  }

  private async receivedOrMissing(id: string): Promise<number> {
    const info = await this.status(id);
    if (info === null)
      throw new NotFoundError(
        `upload ${id} is not in progress (it was completed, refused or expired); declare the file again`,
      );
    return info.received;
  }

  private pathOf(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new InvalidDataError(`'${id.slice(0, 80)}' is not an upload id`);
    return join(this.dir, id);
  }

  private async oneAtATime<T>(id: string, work: () => Promise<T>): Promise<T> {
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
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
