/**
 * The PNG encoder of logged pixels (encode-png.ts: Up filter, run-length deflate, level 3 kept
 * when it is smaller): every file decodes (fast-png) to exactly the pixels given, in each channel
 * count; a photo-like image is no larger than with the previous setting (Sub filter, level 3),
 * and a smooth synthetic picture, which run-length coding alone compresses poorly, stays small.
 */
import { deflateSync } from "node:zlib";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { encodePng } from "../src/media/encode/encode-png.js";

type Channels = 1 | 2 | 3 | 4;

function photo(side: number, channels: Channels): Uint8Array {
  const pixels = new Uint8Array(side * side * channels);
  let seed = 12345;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let c = 0; c < channels; c++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const noise = (seed >> 16) % 24;
        pixels[(y * side + x) * channels + c] =
          (x * (c + 1) + y * (3 - c) + Math.sin(x / 7 + c) * 30 + noise) & 255;
      }
  return pixels;
}

function encode(pixels: Uint8Array, side: number, channels: Channels): Uint8Array {
  return encodePng({ pixels, width: side, height: side, channels, scale: "none" });
}

/** The IDAT size of the previous encoder: Sub filter, deflate level 3. */
function subLevel3Bytes(pixels: Uint8Array, side: number, channels: number): number {
  const stride = side * channels;
  const filtered = Buffer.alloc((stride + 1) * side);
  for (let y = 0; y < side; y++) {
    filtered[y * (stride + 1)] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      filtered[y * (stride + 1) + 1 + x] = ((pixels[y * stride + x] as number) - left) & 0xff;
    }
  }
  return deflateSync(filtered, { level: 3 }).length;
}

describe("PNG of logged pixels", () => {
  it("decodes to exactly the pixels given, for 1 to 4 channels and odd sizes", () => {
    for (const channels of [1, 2, 3, 4] as const)
      for (const side of [1, 7, 64]) {
        const pixels = photo(side, channels);
        const png = decode(encode(pixels, side, channels));
        expect([png.width, png.height, png.channels, png.depth]).toEqual([side, side, channels, 8]);
        expect(Buffer.compare(Buffer.from(png.data as Uint8Array), Buffer.from(pixels))).toBe(0);
      }
  });

  it("keeps a 256×256 photo-like image no larger than the previous encoding", () => {
    const pixels = photo(256, 3);
    const png = encode(pixels, 256, 3);
    expect(Buffer.compare(Buffer.from(decode(png).data as Uint8Array), Buffer.from(pixels))).toBe(0);
    expect(png.length).toBeLessThanOrEqual(subLevel3Bytes(pixels, 256, 3) + 100);
  });

  it("keeps a smooth synthetic picture and a flat plot small", () => {
    const side = 256;
    const smooth = new Uint8Array(side * side * 3);
    const plot = new Uint8Array(side * side * 3).fill(255);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * side + x) * 3 + c;
          smooth[i] = (x * (c + 1) + y * (3 - c)) & 255;
          if (Math.abs(y - 128 - 40 * Math.sin(x / 20)) < 2) plot[i] = 40 * c;
        }
    for (const pixels of [smooth, plot]) {
      const png = encode(pixels, side, 3);
      expect(Buffer.compare(Buffer.from(decode(png).data as Uint8Array), Buffer.from(pixels))).toBe(0);
      expect(png.length).toBeLessThan(8 * 1024);
    }
  });
});
