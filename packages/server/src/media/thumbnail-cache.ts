/**
 * Thumbnails of logged images, made once with sharp and kept on disk, content-addressed like
 * the blobs they come from: `<dir>/<size>/<sha256[0:2]>/<sha256>.webp` for an image larger than
 * `size` on its longest side (scaled to fit, WebP quality 80), or an empty `.small` marker for
 * one that already fits (it is served as it is: never upscaled, never re-encoded, its pixels
 * exact). Two requests for the same thumbnail at once share one making. The cache is derived
 * data: removing the folder only costs the time to make them again.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { InvalidDataError, NotFoundError, type ThumbnailSize } from "@stepwise/protocol";
import sharp from "sharp";
import type { BlobStore } from "../blob/blob-store.js";

export type Thumbnail =
  /** A scaled copy: the file to send (image/webp). */
  | { kind: "scaled"; file: string; size: number; cached: boolean }
  /** The image fits already: send the original blob. */
  | { kind: "original"; cached: boolean };

/** Images larger than this are not thumbnailed (the request is refused, the file still downloads). */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export class ThumbnailCache {
  private readonly making = new Map<string, Promise<Thumbnail>>();

  constructor(
    private readonly dir: string,
    private readonly blobs: BlobStore,
  ) {}

  /** The thumbnail of blob `sha256` (an image file named `name`) fitting `size`×`size`. */
  async get(sha256: string, sourceBytes: number, size: ThumbnailSize, name: string): Promise<Thumbnail> {
    const base = join(this.dir, String(size), sha256.slice(0, 2), sha256);
    const found = await cached(base);
    if (found !== null) return found;
    const id = `${size}/${sha256}`;
    let job = this.making.get(id);
    if (job === undefined) {
      job = this.make(base, sha256, sourceBytes, size, name).finally(() => this.making.delete(id));
      this.making.set(id, job);
    }
    return job;
  }

  private async make(
    base: string,
    sha256: string,
    sourceBytes: number,
    size: ThumbnailSize,
    name: string,
  ): Promise<Thumbnail> {
    if (sourceBytes > MAX_SOURCE_BYTES)
      throw new InvalidDataError(
        `'${name}' is ${sourceBytes} bytes, over the ${MAX_SOURCE_BYTES}-byte limit for thumbnails; download the file instead`,
      );
    const stream = await this.blobs.get(sha256);
    if (stream === null)
      throw new NotFoundError(
        `the content of '${name}' is missing from the file store; run 'stepwise server --check'`,
      );
    const source = await readAll(stream);
    if (!isRasterImage(source))
      throw new InvalidDataError(
        `'${name}' is not a PNG, JPEG, GIF, WebP or TIFF image: thumbnails are made of images only`,
      );
    let width: number;
    let height: number;
    let output: Buffer;
    try {
      const meta = await sharp(source).metadata();
      width = meta.width;
      height = meta.height;
      if (Math.max(width, height) <= size) {
        await writeAtomically(`${base}.small`, Buffer.alloc(0));
        return { kind: "original", cached: false };
      }
      output = await sharp(source)
        .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
    } catch (error) {
      throw new InvalidDataError(
        `'${name}' could not be decoded as an image (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    await writeAtomically(`${base}.webp`, output);
    return { kind: "scaled", file: `${base}.webp`, size: output.length, cached: false };
  }
}

async function cached(base: string): Promise<Thumbnail | null> {
  try {
    const info = await stat(`${base}.webp`);
    return { kind: "scaled", file: `${base}.webp`, size: info.size, cached: true };
  } catch {
    // Not made at this size: maybe the image fits as it is.
  }
  try {
    await stat(`${base}.small`);
    return { kind: "original", cached: true };
  } catch {
    return null;
  }
}

/** Magic numbers of the formats thumbnailed; SVG and anything else is refused before sharp sees it. */
function isRasterImage(b: Buffer): boolean {
  const starts = (...bytes: number[]): boolean => bytes.every((v, i) => b[i] === v);
  return (
    starts(0x89, 0x50, 0x4e, 0x47) || // PNG
    starts(0xff, 0xd8, 0xff) || // JPEG
    starts(0x47, 0x49, 0x46, 0x38) || // GIF8
    (starts(0x52, 0x49, 0x46, 0x46) && b.toString("latin1", 8, 12) === "WEBP") ||
    starts(0x49, 0x49, 0x2a, 0x00) || // TIFF, little-endian
    starts(0x4d, 0x4d, 0x00, 0x2a) // TIFF, big-endian
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temp, bytes, { mode: 0o600 });
  await rename(temp, file);
}
