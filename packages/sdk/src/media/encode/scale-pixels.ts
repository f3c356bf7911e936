/**
 * W&B's normalisation of array pixels to uint8 (reference §8.1), chosen at log() time from the
 * data's range (pixel-source.ts) and applied off the training thread: `unit` (all in [0,1]) ×255,
 * `signed` (all in [−1,1]) 255·(x+1)/2, `clip` clipped to [0,255], `cast` plain truncation
 * (normalize: false, values wrap like numpy's astype(uint8)); every one truncates toward zero.
 */
import type { PixelScale } from "../logged-value.js";

export function scalePixels(pixels: Uint8Array | Float32Array | Float64Array, scale: PixelScale): Uint8Array {
  if (scale === "auto") scale = pixels.every((x) => x <= 1) ? "unit" : "none";
  if (pixels instanceof Uint8Array && (scale === "none" || scale === "clip" || scale === "cast"))
    return pixels;
  const out = new Uint8Array(pixels.length);
  const n = pixels.length;
  switch (scale) {
    case "unit":
      for (let i = 0; i < n; i++) out[i] = (pixels[i] as number) * 255;
      break;
    case "signed":
      for (let i = 0; i < n; i++) out[i] = (255 * ((pixels[i] as number) + 1)) / 2;
      break;
    case "cast":
      for (let i = 0; i < n; i++) out[i] = Math.trunc(pixels[i] as number) & 0xff;
      break;
    default:
      for (let i = 0; i < n; i++) {
        const x = pixels[i] as number;
        out[i] = x < 0 ? 0 : x > 255 ? 255 : x;
      }
  }
  return out;
}
