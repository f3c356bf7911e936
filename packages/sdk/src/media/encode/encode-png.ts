/** PNG bytes of row-major pixels (fast-png, 8 bits per channel); runs off the training thread. */
import { encode } from "fast-png";
import type { PixelScale } from "../logged-value.js";
import { scalePixels } from "./scale-pixels.js";

export interface PngInput {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array | Float32Array | Float64Array;
  scale: PixelScale;
}

export function encodePng(input: PngInput): Uint8Array {
  const data = scalePixels(input.pixels, input.scale);
  return encode({ width: input.width, height: input.height, data, channels: input.channels, depth: 8 });
}
