/**
 * Translucent variants of a run's colour for what is drawn behind its line: the min/max band
 * and the raw line under a smoothed one. Canvas fill styles need a concrete colour, so `#rgb` and
 * `#rrggbb` become `rgba()`; any other colour is returned as is (drawn opaque rather than lost).
 */

/** Opacity of the min/max band: visible where a spike is, faint enough not to hide other runs. */
export const BAND_ALPHA = 0.16;
/** Opacity of the band's edges (the min and max lines). */
export const BAND_EDGE_ALPHA = 0.35;
/**
 * Band opacities for a chart of `runs` runs: overlapping bands add up, so past a few runs they
 * fade with the square root of the count (a floor keeps a lone spike visible).
 */
export function bandAlphas(runs: number): { fill: number; edge: number } {
  const scale = runs <= 4 ? 1 : Math.sqrt(4 / runs);
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    fill: round(Math.max(0.05, BAND_ALPHA * scale)),
    edge: round(Math.max(0.15, BAND_EDGE_ALPHA * scale)),
  };
}

/** Opacity of the raw line when a smoothed line is drawn over it. */
export const RAW_UNDER_SMOOTHED_ALPHA = 0.25;

export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (hex === undefined) return color;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const r = parseInt(full.slice(0, 2), 16);
  const g = parseInt(full.slice(2, 4), 16);
  const b = parseInt(full.slice(4, 6), 16);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
