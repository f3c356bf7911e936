/**
 * Resumable uploads on S3, the twin of local-staged-uploads.ts: upload `<id>` is a marker
 * object `uploads/<id>/begun` and one object per part received, `uploads/<id>/part-<offset>`
 * (offset zero-padded, so they list in order). A part is written whole or not at all (a part
 * cut short keeps nothing: the client resumes from the offset the server reports). Plain
 * objects rather than an S3 multipart upload, because clients send parts of any size (S3
 * wants 5 MiB but the last) and resume mid-part, and because every S3-compatible server
 * lists objects. On completion the parts are streamed, hashed and checked into the blob's
 * content key (one part: copied server-side once its hash is known), then removed. The
 * sha256 of the bytes so far is kept in memory while this process has seen them all.
 */
import { randomBytes } from "node:crypto";
import { PassThrough, pipeline, type Readable } from "node:stream";
import { ContentMismatchError, InvalidDataError, NotFoundError } from "@stepwise/protocol";
import type { StagedUploadInfo, WrittenBlob } from "./blob-store.js";
import type { ObjectInfo, S3Objects } from "./s3-objects.js";
import { StagedUploadTurns } from "./staged-upload-turns.js";

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART = /\/part-(\d{16})$/;

export interface UploadPart {
  key: string;
  start: number;
  size: number;
}

interface Upload {
  info: StagedUploadInfo;
  /** Contiguous parts from byte 0, in order. */
  parts: UploadPart[];
  /** Every object of the upload (marker, parts, strays). */
  keys: string[];
}

export class S3StagedUploads {
  private readonly turns = new StagedUploadTurns(async (id) => (await this.status(id))?.received ?? null, 20);

  constructor(
    private readonly objects: S3Objects,
    /** Key prefix of the uploads, ending in "/". */
    private readonly root: string,
    /** Throws ContentMismatchError when the bytes are not what was declared. */
    private readonly mismatch: (written: WrittenBlob, expect: WrittenBlob) => void,
    /**
     * Makes `parts` the blob `expect` names: `verified` when their hash is known to match, else
     * they must be checked while they stream (with `mismatch`), keeping nothing when they fail.
     */
    private readonly place: (parts: UploadPart[], expect: WrittenBlob, verified: boolean) => Promise<void>,
  ) {}

  async begin(): Promise<string> {
    const id = randomBytes(16).toString("hex");
    await this.objects.putBytes(`${this.root}${id}/begun`, new Uint8Array(0));
    this.turns.begun(id);
    return id;
  }

  async status(id: string): Promise<StagedUploadInfo | null> {
    return (await this.read(id))?.info ?? null;
  }

  async append(id: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    await this.turns.predecessor(id, offset);
    return this.turns.oneAtATime(id, async () => {
      const received = (await this.readOrMissing(id)).info.received;
      const { measure, before } = this.turns.open(id, offset, received, maxBytes, true);
      try {
        await this.objects.putStream(partKey(this.root, id, offset), pipeline(body, measure, noop), maxBytes);
      } catch (error) {
        // Nothing of the part was kept: the hash so far still holds.
        if (before !== undefined) this.turns.keep(id, before, offset);
        throw error;
      }
      if (before !== undefined) this.turns.keep(id, measure.hash, offset + measure.size);
      return offset + measure.size;
    });
  }

  /**
   * Checks the bytes against `expect` while placing them. The upload is removed once placed,
   * or when its bytes are not the declared ones; any other failure (S3 unreachable) keeps it,
   * so completing again (the client sends its last part again) needs no bytes resent.
   */
  complete(id: string, expect: WrittenBlob): Promise<WrittenBlob> {
    return this.turns.oneAtATime(id, async () => {
      const upload = await this.readOrMissing(id);
      const cached = this.turns.take(id, upload.info.received);
      try {
        if (upload.info.received !== expect.size)
          this.mismatch({ size: upload.info.received, sha256: "" }, expect);
        const known = cached !== undefined;
        if (known) this.mismatch({ size: upload.info.received, sha256: cached.digest("hex") }, expect);
        await this.place(upload.parts, expect, known);
      } catch (error) {
        if (error instanceof ContentMismatchError) await this.removeKeys(upload.keys);
        throw error;
      }
      await this.removeKeys(upload.keys);
      return { size: expect.size, sha256: expect.sha256 };
    });
  }

  async abort(id: string): Promise<void> {
    this.turns.forget(id);
    const upload = await this.read(id);
    if (upload !== null) await this.removeKeys(upload.keys);
  }

  async *list(): AsyncIterable<StagedUploadInfo> {
    const byId = new Map<string, ObjectInfo[]>();
    for await (const object of this.objects.list(this.root)) {
      const id = object.key.slice(this.root.length).split("/")[0] ?? "";
      if (!UPLOAD_ID.test(id)) continue;
      byId.set(id, [...(byId.get(id) ?? []), object]);
    }
    for (const [id, objects] of byId) {
      const upload = this.summarise(id, objects);
      if (upload !== null) yield upload.info;
    }
  }

  /** The concatenated bytes of `parts`, read one part after another. */
  partsStream(parts: UploadPart[]): Readable {
    const out = new PassThrough();
    const objects = this.objects;
    void (async () => {
      for (const part of parts) {
        const body = await objects.get(part.key);
        if (body === null) throw new NotFoundError(`part ${part.key} of an upload went missing`);
        for await (const chunk of body) if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
      }
      out.end();
    })().catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  private async read(id: string): Promise<Upload | null> {
    if (!UPLOAD_ID.test(id)) throw new InvalidDataError(`'${id.slice(0, 80)}' is not an upload id`);
    const objects: ObjectInfo[] = [];
    for await (const object of this.objects.list(`${this.root}${id}/`)) objects.push(object);
    return this.summarise(id, objects);
  }

  private summarise(id: string, objects: ObjectInfo[]): Upload | null {
    const begun = objects.find((o) => o.key.endsWith("/begun"));
    if (begun === undefined) return null;
    const starts = new Map<number, ObjectInfo>();
    for (const object of objects) {
      const match = PART.exec(object.key);
      if (match !== null) starts.set(Number(match[1]), object);
    }
    const parts: UploadPart[] = [];
    let received = 0;
    for (let part = starts.get(0); part !== undefined && part.size > 0; part = starts.get(received)) {
      parts.push({ key: part.key, start: received, size: part.size });
      received += part.size;
    }
    const modifiedAt = Math.max(...objects.map((o) => o.modifiedAt));
    return { info: { id, received, modifiedAt }, parts, keys: objects.map((o) => o.key) };
  }

  private async readOrMissing(id: string): Promise<Upload> {
    const upload = await this.read(id);
    if (upload === null)
      throw new NotFoundError(
        `upload ${id} is not in progress (it was completed, refused or expired); declare the file again`,
      );
    return upload;
  }

  private async removeKeys(keys: string[]): Promise<void> {
    // The marker last: a crash midway leaves an upload that garbage collection still finds.
    const marker = keys.filter((key) => key.endsWith("/begun"));
    for (const key of keys.filter((k) => !k.endsWith("/begun"))) await this.objects.delete(key);
    for (const key of marker) await this.objects.delete(key);
  }
}

function partKey(root: string, id: string, offset: number): string {
  return `${root}${id}/part-${String(offset).padStart(16, "0")}`;
}

function noop(): void {}
