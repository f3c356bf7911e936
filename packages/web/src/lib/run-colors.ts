/**
 * Per-run colours: a run keeps its colour wherever it appears (table dot, chart line, tooltip,
 * compare view), whatever the sort or filter, because the colour comes from the run's ordinal —
 * its place in the project by creation, which the server assigns once — not from its position
 * in a table. Consecutive runs get neighbouring palette colours, which differ in hue, so the
 * runs of a sweep are told apart at a glance (a hash of the id, used only for runs without an
 * ordinal, gives two of six runs similar colours too often).
 */

/**
 * 20 saturated colours that read on white (each darker than #ccc, so thin lines stay visible),
 * ordered so that neighbours differ in hue.
 */
export const RUN_PALETTE: readonly string[] = [
  "#2f6fdf", // blue
  "#e8590c", // orange
  "#2b8a3e", // green
  "#c92a2a", // red
  "#7048e8", // violet
  "#0c8599", // teal
  "#d6336c", // pink
  "#5c940d", // olive green
  "#862e9c", // grape
  "#e67700", // amber
  "#364fc7", // indigo
  "#087f5b", // emerald
  "#a61e4d", // wine
  "#1098ad", // cyan
  "#b35c00", // rust
  "#9c36b5", // purple
  "#495057", // slate
  "#e64980", // rose
  "#66a80f", // lime
  "#795548", // brown
];

/** The colour of a run: by its ordinal (1-based), or by a hash of its id when it has none (0). */
export function runColor(run: { id: string; ordinal: number }): string {
  const index = run.ordinal >= 1 ? run.ordinal - 1 : hashString(run.id);
  return RUN_PALETTE[index % RUN_PALETTE.length] as string;
}

/**
 * FNV-1a over UTF-16 code units, then murmur3's finaliser: FNV alone leaves ids that differ in
 * their last character (`run-1`, `run-2`) in neighbouring buckets too often.
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
