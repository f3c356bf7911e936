/**
 * Frames of a Video as W&B takes them (reference §8.3): `[time][channel][height][width]`, or
 * `[batch][time][channel][height][width]` tiled into a grid (the batch padded with black videos
 * to a power of two, `rows = 2^floor(log2(b)/2)`). Values are cast to uint8 without scaling, as
 * numpy's astype does. Returned as `[t][h][w][c]` uint8, ready for the GIF/ffmpeg encoders.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { ArrayInput } from "./array-input.js";

export interface Frames {
  frames: number;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  pixels: Uint8Array;
}

export function framesOf(array: ArrayInput, what: string): Frames {
  const shape = array.shape;
  if (shape.length < 4)
    throw new InvalidDataError(
      `${what}: a video must be at least 4 dimensions: time, channels, height, width (got [${shape.join(", ")}])`,
    );
  if (shape.length > 5)
    throw new InvalidDataError(
      `${what}: a video has 4 dimensions (time, channels, height, width) or 5 with a batch first; got [${shape.join(", ")}]`,
    );
  const [batch, time, channels, height, width] = (shape.length === 4 ? [1, ...shape] : shape) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new InvalidDataError(
      `${what}: channels (the 2nd dimension of [time, channels, height, width]) must be 1, 3 or 4, got ${channels}`,
    );
  if (time === 0 || height === 0 || width === 0)
    throw new InvalidDataError(`${what}: the video has no frames or no pixels`);
  const padded = 2 ** Math.ceil(Math.log2(batch));
  const rows = 2 ** Math.floor(Math.log2(padded) / 2);
  const cols = padded / rows;
  const outW = cols * width;
  const outH = rows * height;
  const pixels = new Uint8Array(time * outH * outW * channels);
  const values = array.values;
  for (let b = 0; b < batch; b++) {
    const tileX = (b % cols) * width;
    const tileY = Math.floor(b / cols) * height;
    for (let t = 0; t < time; t++)
      for (let c = 0; c < channels; c++)
        for (let y = 0; y < height; y++) {
          const from = (((b * time + t) * channels + c) * height + y) * width;
          const to = ((t * outH + tileY + y) * outW + tileX) * channels + c;
          for (let x = 0; x < width; x++)
            pixels[to + x * channels] = Math.trunc(values[from + x] as number) & 0xff;
        }
  }
  return { frames: time, width: outW, height: outH, channels, pixels };
}
