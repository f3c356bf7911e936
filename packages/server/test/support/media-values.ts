/**
 * Media as the SDK writes them (reference § 8): real PNG bytes made with sharp, and the
 * history JSON that points at them (`image-file` with its sha256-named path).
 */
import { createHash } from "node:crypto";
import sharp from "sharp";

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A solid-colour PNG of `width`×`height` (the colour varies with `seed`, so contents differ). */
export function png(width: number, height: number, seed = 0): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: 90 } },
  })
    .png()
    .toBuffer();
}

export interface ImageValue {
  _type: "image-file";
  path: string;
  sha256: string;
  size: number;
  format: "png";
  width: number;
  height: number;
  caption?: string;
  masks?: Record<string, unknown>;
  boxes?: Record<string, unknown>;
}

export function imageValue(
  key: string,
  step: number,
  bytes: Buffer,
  width: number,
  height: number,
  extra: Partial<ImageValue> = {},
): ImageValue {
  const hash = sha256(bytes);
  return {
    _type: "image-file",
    path: `media/images/${key}_${step}_${hash.slice(0, 20)}.png`,
    sha256: hash,
    size: bytes.length,
    format: "png",
    width,
    height,
    ...extra,
  };
}
