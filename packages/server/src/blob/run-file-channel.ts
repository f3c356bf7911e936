/**
 * How run files get stored (protocol files.ts), independent of HTTP: a declaration answers
 * "stored" when the content is already a blob (any run's) or opens (or resumes) a staged
 * upload; parts append to it; the last part checks size and sha256 and records the file. A
 * record is written only inside the store's write transaction after the blob was found and
 * renewed (BlobLeases), so garbage collection never leaves a record without its blob.
 */
import type { Readable } from "node:stream";
import {
  ContentMismatchError,
  NotFoundError,
  StepwiseError,
  type FileDto,
  type FileUploadRequest,
  type FileUploadResponse,
  type RunRef,
  type UploadPartResponse,
} from "@stepwise/protocol";
import type { Store, StoredFile, StoredUpload } from "../store/store.js";
import type { BlobLeases, BlobStore } from "./blob-store.js";
import { contentTypeFor } from "./content-type.js";
import { fileTooLarge } from "./local-blob-store.js";

/** How long an upload URL (and an untouched upload) lives; each declaration renews it. */
export const UPLOAD_TTL_S = 24 * 3600;

/** A part's place, from `Content-Range: bytes start-end/total` (`bytes *\/total`: no bytes). */
export interface PartRange {
  start: number;
  length: number;
  total: number;
}

/**
 * The run id of an upload tied to no run file (artifact content, `declareBlob`): its last part
 * stores the blob and records nothing (an artifact commit records it). Never a real run's id.
 */
export const BLOB_ONLY_RUN_ID = "";

class BlobGone extends Error {}

export class RunFileChannel {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore & BlobLeases,
    private readonly maxFileBytes: number,
    /** Most bytes one part may carry: LIMITS.uploadPartBytes, or the server's body limit when lower. */
    private readonly partBytes: number,
    private readonly now: () => number,
  ) {}

  async declare(ref: RunRef, request: FileUploadRequest): Promise<FileUploadResponse> {
    if (request.size > this.maxFileBytes) throw fileTooLarge(this.maxFileBytes);
    const file: StoredFile = {
      path: request.path,
      size: request.size,
      sha256: request.sha256,
      contentType: request.contentType ?? contentTypeFor(request.path),
      updatedAt: this.now(),
    };
    if (await this.record(ref, file)) return { status: "stored", file };
    const upload = await this.openUpload(ref, file);
    const received = (await this.blobs.uploadStatus(upload.id))?.received ?? 0;
    return {
      status: "upload",
      uploadId: upload.id,
      uploadUrl: this.blobs.uploadUrl(upload.id, upload.expiresAt),
      received,
      partBytes: this.partBytes,
      expiresAt: upload.expiresAt,
    };
  }

  /** Declares content by sha256 and size for no run file (artifacts): `stored`, or an upload. */
  declareBlob(entity: string, project: string, size: number, sha256: string): Promise<FileUploadResponse> {
    const ref = { entity, project, runId: BLOB_ONLY_RUN_ID };
    return this.declare(ref, { path: sha256, size, sha256, contentType: "application/octet-stream" });
  }

  /** Bytes received of upload `id`; NOT_FOUND when it is not in progress. */
  async received(id: string): Promise<number> {
    await this.uploadOf(id);
    return (await this.blobs.uploadStatus(id))?.received ?? 0;
  }

  async receivePart(id: string, range: PartRange | null, body: Readable): Promise<UploadPartResponse> {
    const upload = await this.uploadOf(id);
    const part = range ?? { start: 0, length: upload.size, total: upload.size };
    if (part.total !== upload.size)
      throw new ContentMismatchError(
        `Content-Range says the file has ${part.total} bytes, but it was declared with ${upload.size}; declare it again`,
      );
    if (part.length > this.partBytes)
      throw new StepwiseError(
        "PAYLOAD_TOO_LARGE",
        `a part may carry at most ${this.partBytes} bytes (partBytes); this one has ${part.length}`,
      );
    if (part.start + part.length > upload.size)
      throw new ContentMismatchError(
        `this part ends at byte ${part.start + part.length}, past the declared size of ${upload.size} bytes`,
      );
    const received =
      part.length === 0
        ? await this.received(id)
        : await this.blobs.appendUpload(id, part.start, body, part.length);
    if (received < upload.size) return { status: "partial", received };
    return { status: "stored", file: await this.complete(upload) };
  }

  /** A whole file in one body (PUT …/files/<path>), streamed into the blob store. */
  async putWhole(
    ref: RunRef,
    path: string,
    body: Readable,
    contentType: string,
    sha256: string | undefined,
    maxBytes: number,
  ): Promise<FileDto> {
    const written = await this.blobs.put(body, {
      maxBytes: Math.min(maxBytes, this.maxFileBytes),
      ...(sha256 === undefined ? {} : { sha256 }),
    });
    const file = { path, ...written, contentType, updatedAt: this.now() };
    if (!(await this.record(ref, file))) throw blobGone();
    return file;
  }

  private async complete(upload: StoredUpload): Promise<FileDto> {
    try {
      await this.blobs.completeUpload(upload.id, { size: upload.size, sha256: upload.sha256 });
    } catch (error) {
      if (error instanceof ContentMismatchError) await this.store.deleteUpload(upload.id);
      throw error;
    }
    const file: StoredFile = {
      path: upload.path,
      size: upload.size,
      sha256: upload.sha256,
      contentType: upload.contentType,
      updatedAt: this.now(),
    };
    // The bytes are a blob now: the upload is over whatever the record does (a declaration
    // made again finds the blob, or a conflict is answered again).
    let recorded: boolean;
    try {
      recorded = await this.record(upload.ref, file);
    } finally {
      await this.store.deleteUpload(upload.id);
    }
    if (!recorded) throw blobGone();
    return file;
  }

  /** Records the file if its blob is stored (renewing it, so collection spares it); false if not. */
  private async record(ref: RunRef, file: StoredFile): Promise<boolean> {
    await this.blobs.prepareLeases?.([file.sha256]);
    if (ref.runId === BLOB_ONLY_RUN_ID) return this.blobs.touchSync(file.sha256);
    try {
      await this.store.putFile(ref, file, () => {
        if (!this.blobs.touchSync(file.sha256)) throw new BlobGone();
      });
      return true;
    } catch (error) {
      if (error instanceof BlobGone) return false;
      throw error;
    }
  }

  /** The upload of this content to this path: resumed when its bytes are still there, else new. */
  private async openUpload(ref: RunRef, file: StoredFile): Promise<StoredUpload> {
    const expiresAt = Math.floor(this.now()) + UPLOAD_TTL_S;
    const found = await this.store.findUpload(ref, file.path, file.size, file.sha256);
    if (found !== null) {
      if ((await this.blobs.uploadStatus(found.id)) !== null) {
        const renewed = { ...found, expiresAt };
        await this.store.saveUpload(renewed);
        return renewed;
      }
      await this.store.deleteUpload(found.id);
    }
    const id = await this.blobs.beginUpload({ size: file.size, sha256: file.sha256 });
    const upload: StoredUpload = {
      id,
      ref,
      path: file.path,
      size: file.size,
      sha256: file.sha256,
      contentType: file.contentType,
      createdAt: this.now(),
      expiresAt,
    };
    await this.store.saveUpload(upload);
    // Two declarations at once: the first saved wins, the other's staged bytes go.
    const saved = await this.store.findUpload(ref, file.path, file.size, file.sha256);
    if (saved !== null && saved.id !== id) {
      await this.blobs.abortUpload(id);
      return saved;
    }
    return upload;
  }

  private async uploadOf(id: string): Promise<StoredUpload> {
    const upload = await this.store.getUpload(id);
    if (upload === null || (await this.blobs.uploadStatus(id)) === null)
      throw new NotFoundError(
        `upload ${id} is not in progress (it was completed, refused or expired); declare the file again`,
      );
    return upload;
  }
}

function blobGone(): StepwiseError {
  return new StepwiseError(
    "UNAVAILABLE",
    "the stored content was removed by garbage collection before the file was recorded; send the file again",
  );
}
