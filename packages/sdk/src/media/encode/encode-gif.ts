/**
 * An animated GIF (gifenc: a 256-colour palette quantised from every frame together, so colours
 * stay steady from frame to frame), looping forever as W&B's moviepy GIFs do; off the thread.
 */
import { createRequire } from "node:module";

interface GifEncoder {
  writeFrame(
    index: Uint8Array,
    width: number,
    height: number,
    options: { palette: number[][]; delay: number; repeat?: number },
  ): void;
  finish(): void;
  bytes(): Uint8Array;
}
interface Gifenc {
  GIFEncoder(): GifEncoder;
  quantize(rgba: Uint8Array, maxColors: number, options?: { format?: string }): number[][];
  applyPalette(rgba: Uint8Array, palette: number[][], format?: string): Uint8Array;
}

// gifenc is CommonJS without types: loaded with require and typed here.
const gifenc = createRequire(import.meta.url)("gifenc") as Gifenc;

export interface FramesInput {
  frames: number;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** `[t][h][w][c]` uint8. */
  pixels: Uint8Array;
  fps: number;
}

export function encodeGif(input: FramesInput): Uint8Array {
  const { frames, width, height } = input;
  const frameRgba = Array.from({ length: frames }, (_, t) => rgbaFrame(input, t));
  const all = new Uint8Array(frames * width * height * 4);
  frameRgba.forEach((frame, t) => all.set(frame, t * frame.length));
  const palette = gifenc.quantize(all, 256, { format: "rgb565" });
  const encoder = gifenc.GIFEncoder();
  const delay = Math.round(1000 / input.fps);
  for (const frame of frameRgba)
    encoder.writeFrame(gifenc.applyPalette(frame, palette, "rgb565"), width, height, {
      palette,
      delay,
      repeat: 0,
    });
  encoder.finish();
  return encoder.bytes();
}

/** Frame t as RGBA (grey copied to r, g and b; alpha 255 for 1 and 3 channels). */
export function rgbaFrame(input: FramesInput, t: number): Uint8Array {
  const pixelsPerFrame = input.width * input.height;
  const out = new Uint8Array(pixelsPerFrame * 4);
  const c = input.channels;
  const base = t * pixelsPerFrame * c;
  for (let p = 0; p < pixelsPerFrame; p++) {
    const from = base + p * c;
    const to = p * 4;
    const r = input.pixels[from] as number;
    out[to] = r;
    out[to + 1] = c === 1 ? r : (input.pixels[from + 1] as number);
    out[to + 2] = c === 1 ? r : (input.pixels[from + 2] as number);
    out[to + 3] = c === 4 ? (input.pixels[from + 3] as number) : 255;
  }
  return out;
}
