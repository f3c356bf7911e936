/**
 * Colours of a heatmap cell by count: a perceptually ordered ramp (viridis' stops, light for few,
 * dark for many) looked up from a 256-entry table, so painting 150,000 pixels is one table read
 * each. An empty pixel (no bin reaches it) and a bin with a count of 0 stay transparent (the
 * page's white shows, as in W&B's histograms); any count above 0 takes at least the ramp's
 * second colour, so a bin with one value never disappears next to a bin with a million.
 */

/** Viridis at 0, 0.25, 0.5, 0.75, 1, reversed so that more is darker on a white page. */
const STOPS: ReadonlyArray<readonly [number, number, number]> = [
  [253, 231, 37],
  [94, 201, 98],
  [33, 145, 140],
  [59, 82, 139],
  [68, 1, 84],
];

export const LUT_SIZE = 256;

/** The ramp as RGB triples, LUT_SIZE of them. */
export const HEATMAP_RAMP: ReadonlyArray<readonly [number, number, number]> = Array.from(
  { length: LUT_SIZE },
  (_, i) => {
    const t = (i / (LUT_SIZE - 1)) * (STOPS.length - 1);
    const k = Math.min(STOPS.length - 2, Math.floor(t));
    const f = t - k;
    const a = STOPS[k] as readonly [number, number, number];
    const b = STOPS[k + 1] as readonly [number, number, number];
    return [0, 1, 2].map((c) => Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * f)) as [
      number,
      number,
      number,
    ];
  },
);

/** The ramp index of a count: 0 for 0, at least 1 for any count above 0, LUT_SIZE - 1 at `max`. */
export function rampIndex(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) return 0;
  return Math.max(1, Math.min(LUT_SIZE - 1, Math.round((count / max) * (LUT_SIZE - 1))));
}

/** RGBA bytes of a raster (`cells` as heatmap-raster makes them), ready for an ImageData. */
export function paintCells(cells: Float32Array, max: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(cells.length * 4);
  for (let i = 0; i < cells.length; i++) {
    const count = cells[i] as number;
    if (!(count > 0)) continue;
    const [r, g, b] = HEATMAP_RAMP[rampIndex(count, max)] as readonly [number, number, number];
    const o = i * 4;
    rgba[o] = r;
    rgba[o + 1] = g;
    rgba[o + 2] = b;
    rgba[o + 3] = 255;
  }
  return rgba;
}
