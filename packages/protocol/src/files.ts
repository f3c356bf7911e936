/**
 * The file channel's wire format: how a client declares a run file, how it sends the bytes in
 * resumable parts, and the run-log record that keeps a file to upload across crashes.
 *
 * 1. `POST {apiPaths.fileUploads(run)}` with a `FileUploadRequest` (path, size, sha256).
 *    - The server already holds that content (any run's): it records the file and answers
 *      `{ status: "stored", file }`. Nothing is sent.
 *    - Otherwise `{ status: "upload", uploadUrl, received, partBytes }`. Declaring the same
 *      (run, path, size, sha256) again answers the same upload with how much it has, so a client
 *      killed mid-upload goes on from `received`, not from byte 0.
 * 2. `PUT {uploadUrl}` with `Content-Range: bytes start-end/total` and at most `partBytes` bytes,
 *    starting at `received`: `{ status: "partial", received }`, or after the last part (the
 *    server checked size and sha256 of the whole) `{ status: "stored", file }`. A part at another
 *    offset is refused with UPLOAD_OFFSET (`details.received`); bytes whose sha256 or size
 *    differ from the declaration with CONTENT_MISMATCH, and nothing of them is kept.
 *    A client may keep two parts in flight: a part that starts where a part still being written
 *    will end waits for it (for a short while for it to arrive), then is checked as above, so
 *    the link never idles between parts. A part whose upload is over (completed by another
 *    uploader of this content, refused, expired) is NOT_FOUND: declare again.
 *    `HEAD {uploadUrl}` answers the `Upload-Offset` header. The URL authorises itself (signed,
 *    expiring): a client may hand it to a process without credentials.
 */
import { z } from "zod";
import { LIMITS } from "./limits.js";

/**
 * A run file's path: relative, `/`-separated, no `.`/`..` segment, no empty segment, no
 * backslash or control character, at most `LIMITS.filePathLength` characters.
 */
export const filePathSchema = z
  .string()
  .min(1)
  .max(LIMITS.filePathLength)
  .refine(
    (p) =>
      !hasBackslashOrControl(p) &&
      p.split("/").every((segment) => segment.length > 0 && segment !== "." && segment !== ".."),
    "a relative path with `/` separators and no empty, `.` or `..` segment, backslash or control character",
  );

function hasBackslashOrControl(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

export const fileDtoSchema = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  contentType: z.string(),
  /** Unix seconds. */
  updatedAt: z.number(),
});
export type FileDto = z.infer<typeof fileDtoSchema>;

/** A sha256 digest as 64 lowercase hex digits: the key of a blob and a file's ETag. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const sha256Schema = z.string().regex(SHA256_HEX, "is not a sha256 digest (64 lowercase hex digits)");

/** When the SDK uploads a saved file: whenever it changes (`live`), once now, or at finish. */
export const FILE_POLICIES = ["live", "now", "end"] as const;
export const filePolicySchema = z.enum(FILE_POLICIES);
export type FilePolicy = z.infer<typeof filePolicySchema>;

export const fileUploadRequestSchema = z
  .object({
    path: filePathSchema,
    size: z.number().int().nonnegative(),
    sha256: sha256Schema,
    /** Defaults to a type guessed from the path's extension. */
    contentType: z.string().min(1).max(255).optional(),
  })
  .strict();
export type FileUploadRequest = z.infer<typeof fileUploadRequestSchema>;

export const fileUploadResponseSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("stored"), file: fileDtoSchema }),
  z.object({
    status: z.literal("upload"),
    uploadId: z.string(),
    /** Absolute path on the server (with its signature), to join to the base URL. */
    uploadUrl: z.string(),
    /** Bytes the server already has of this upload: send from here. */
    received: z.number().int().nonnegative(),
    /** Most bytes one PUT may carry. */
    partBytes: z.number().int().positive(),
    /** Unix seconds after which `uploadUrl` is refused (declare again for a fresh one). */
    expiresAt: z.number(),
  }),
]);
export type FileUploadResponse = z.infer<typeof fileUploadResponseSchema>;

export const uploadPartResponseSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("partial"), received: z.number().int().nonnegative() }),
  z.object({ status: z.literal("stored"), file: fileDtoSchema }),
]);
export type UploadPartResponse = z.infer<typeof uploadPartResponseSchema>;

/** Response header of `HEAD {uploadUrl}`: bytes received so far. */
export const UPLOAD_OFFSET_HEADER = "upload-offset";
/** Optional request header of `PUT …/files/<path>`: the body's sha256, checked before it is kept. */
export const CONTENT_SHA256_HEADER = "x-content-sha256";

/** `Content-Range: bytes start-end/total` for a part of `total` bytes starting at `start`. */
export function contentRange(start: number, length: number, total: number): string {
  return length === 0 ? `bytes */${total}` : `bytes ${start}-${start + length - 1}/${total}`;
}

/**
 * A run file to upload, kept in the run log so that it survives a crash like history does. The
 * SDK's uploader reads it; it never travels in an ingest batch. `size` and `sha256` are known
 * when the content is inline or was hashed at `save()`; null ones are found by the uploader,
 * which reads the file off the training thread.
 */
export const fileRecordSchema = z.object({
  t: z.literal("file"),
  /** Path in the run. */
  path: filePathSchema,
  source: z.union([
    /** A file on the training machine (absolute path). */
    z.object({ local: z.string().min(1) }).strict(),
    /** The bytes themselves, base64 (small generated files: media, the run's JSON files). */
    z.object({ inline: z.string() }).strict(),
  ]),
  size: z.number().int().nonnegative().nullable(),
  sha256: sha256Schema.nullable(),
  contentType: z.string().min(1).max(255).optional(),
  policy: filePolicySchema,
  /** Unix seconds. */
  time: z.number(),
});
export type FileRecord = z.infer<typeof fileRecordSchema>;
