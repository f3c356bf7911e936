/**
 * PNG bytes of row-major 8-bit pixels, written here with Node's zlib rather than fast-png's
 * encoder: each row gets the Up filter (the difference from the pixel above), then one native
 * deflate, with the run-length strategy (Z_RLE: matches at distance 1 only, no match search)
 * for photo-like data.
 * On photo-like data a match search finds next to nothing and costs most of the time: for a
 * 256×256 noisy RGB image Z_RLE is ~1.2 ms of CPU against ~3.5 ms for level 3 (the previous
 * setting, Sub filter), and the file is no larger. Which data is photo-like is told by Z_RLE on
 * a band of rows (compress()); the rest (plots, masks, smooth or sparse synthetic pictures)
 * is deflated at level 3 as before, which is fast on such data.
 * Runs in the media worker; fast-png's decoder reads the result back in the tests.
 */
import { constants, crc32, deflateSync } from "node:zlib";
import type { PixelScale } from "../logged-value.js";
import { scalePixels } from "./scale-pixels.js";

export interface PngInput {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array | Float32Array | Float64Array;
  scale: PixelScale;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour type by channel count: grey, grey + alpha, RGB, RGBA. */
const COLOR_TYPE = [0, 0, 4, 2, 6] as const;
const FILTER_UP = 2;

export function encodePng(input: PngInput): Uint8Array {
  const { width, height, channels } = input;
  const data = scalePixels(input.pixels, input.scale);
  const stride = width * channels;
  const filtered = Buffer.allocUnsafe((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1);
    const row = y * stride;
    filtered[out] = FILTER_UP;
    // The first row's "above" is zeros: its bytes go as they are.
    if (y === 0) for (let x = 0; x < stride; x++) filtered[out + 1 + x] = data[x] as number;
    else
      for (let x = 0; x < stride; x++)
        filtered[out + 1 + x] = ((data[row + x] as number) - (data[row + x - stride] as number)) & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", compress(filtered, stride + 1, height)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Smaller images are deflated at level 3 without a sample (cheap at that size). */
const SAMPLE_ABOVE_BYTES = 64 * 1024;
const RLE = { strategy: constants.Z_RLE };
const LEVEL_3 = { level: 3 };

/**
 * Z_RLE for photo-like data, level 3 for data with longer repeats: chosen by how well Z_RLE
 * compresses a band of rows in the middle (an eighth of the image): to less than half, level 3.
 */
function compress(filtered: Buffer, rowBytes: number, height: number): Buffer {
  if (filtered.length > SAMPLE_ABOVE_BYTES) {
    const rows = Math.max(1, height >> 3);
    const start = ((height - rows) >> 1) * rowBytes;
    const sample = filtered.subarray(start, start + rows * rowBytes);
    if (deflateSync(sample, RLE).length * 2 >= sample.length) return deflateSync(filtered, RLE);
  }
  return deflateSync(filtered, LEVEL_3);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
