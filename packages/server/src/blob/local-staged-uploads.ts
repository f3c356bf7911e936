/**
 * Resumable uploads on local files, the local twin of an S3 multipart upload: `uploads/<id>`
 * grows part by part at the offset it has reached (each part synced before it is acknowledged,
 * so `received` survives a crash; a part that starts where one still being written will end
 * waits for it rather than being refused), and on completion is hashed, checked and renamed into the
 * blob folder. The sha256 of the bytes so far is kept in memory while the process lives, so
 * completing costs no second read; after a restart the file is read once to hash it.
 * Parts and completion of one upload run one at a time in this process (staged-upload-turns.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidDataError, NotFoundError, StepwiseError } from "@stepwise/protocol";
import { errorCode } from "../storage/storage-full.js";
import type { StagedUploadInfo, WrittenBlob } from "./blob-store.js";
import { syncFile } from "./local-files.js";
import { StagedUploadTurns } from "./staged-upload-turns.js";

const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Most bytes of a part gathered for one write. */
const WRITE_BYTES = 4 * 1024 * 1024;

export class LocalStagedUploads {
  private readonly turns = new StagedUploadTurns(async (id) => (await this.status(id))?.received ?? null, 5);

  constructor(
    private readonly dir: string,
    private readonly place: (source: string, sha256: string) => Promise<void>,
  ) {}

  async begin(): Promise<string> {
    const id = randomBytes(16).toString("hex");
    await mkdir(this.dir, { recursive: true });
    const handle = await open(this.pathOf(id), "wx", 0o600);
    await handle.close();
    this.turns.begun(id);
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
    await this.turns.predecessor(id, offset);
    const path = this.pathOf(id);
    const received = await this.turns.oneAtATime(id, async () => {
      // The part hashes on the cached hash itself: a part cut short keeps what arrived, so the
      // hash is dropped then (completion reads the file once).
      const { measure, before } = this.turns.open(
        id,
        offset,
        await this.receivedOrMissing(id),
        maxBytes,
        false,
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
      if (before !== undefined) this.turns.keep(id, measure.hash, offset + measure.size);
      return offset + measure.size;
    });
    // Synced outside the turn: the next part is written while this one reaches the disk, and
    // this one is acknowledged only once it is there.
    await syncFile(path);
    return received;
  }

  /** Hashes the bytes, lets `check` refuse them (the upload is then removed), else places them. */
  complete(id: string, check: (written: WrittenBlob) => void): Promise<WrittenBlob> {
    return this.turns.oneAtATime(id, async () => {
      const path = this.pathOf(id);
      const size = await this.receivedOrMissing(id);
      const sha256 = this.turns.take(id, size)?.digest("hex") ?? (await hashFile(path));
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
    this.turns.forget(id);
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
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
