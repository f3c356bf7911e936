/**
 * The multi-resolution layout of a numeric series, shared by every store. Points are addressed
 * by position (0, 1, 2, … in the order they were logged). Level 0 is the points themselves, kept
 * in chunks of CHUNK_POINTS; level l ≥ 1 holds one pre-aggregated unit per unitSize(l) points
 * (16, 64, 256, 1,024, … points: ×4 per level), packed BLOCK_UNITS units to a stored block.
 * A level exists once the series is longer than one of its units, so short series cost nothing.
 *
 * Why these numbers: 16 points is the finest unit, so 1,000 buckets over as few as 16,000
 * points still come from units; ×4 per level bounds a query's read to < 4 units per bucket
 * (< 4,000 units, ≤ 63 blocks of 4 KiB, for 1,000 buckets at any length; ×8 read twice that
 * and made 100 runs × 100k points take ~100 ms instead of ~40), for unit storage of about
 * 5.3 bytes per point; 1,024-point chunks keep a chunk row at 8–16 KiB. BLOCK_UNITS must be a
 * multiple of LEVEL_FANOUT, and a level-1 block must span whole chunks (series-tail.ts).
 */

export const CHUNK_POINTS = 1024;
export const BLOCK_UNITS = 64;
export const FINEST_UNIT = 16;
export const LEVEL_FANOUT = 4;
export const MAX_LEVEL = 13;

/** Points per unit at `level` (1 for level 0). */
export function unitSize(level: number): number {
  return level === 0 ? 1 : FINEST_UNIT * LEVEL_FANOUT ** (level - 1);
}

/** The highest level a series of `count` points keeps (0 when it keeps none). */
export function topLevel(count: number): number {
  let level = 0;
  while (level < MAX_LEVEL && count > unitSize(level + 1)) level++;
  return level;
}

/**
 * The level a query reads: the coarsest kept level that still gives every one of `budget`
 * buckets at least one whole unit of the `rangeCount` points asked for; 0 means raw points.
 */
export function chooseLevel(rangeCount: number, budget: number, seriesCount: number): number {
  for (let level = topLevel(seriesCount); level >= 1; level--) {
    if (Math.floor(rangeCount / unitSize(level)) >= budget) return level;
  }
  return 0;
}

/** Units [from, to) of one level (positions [from, to) at level 0). */
export interface LevelSpan {
  level: number;
  from: number;
  to: number;
}

/**
 * Covers positions [p0, p1) of a `count`-point series with whole units, coarsest (`level`) in
 * the middle and finer ones at the edges, in position order. A series' last unit may be partial
 * (it ends at `count`); it is whole for this purpose, as its stored aggregate covers exactly that.
 */
export function coverRange(p0: number, p1: number, level: number, count: number): LevelSpan[] {
  const out: LevelSpan[] = [];
  cover(p0, p1, level, count, out);
  return out;
}

function cover(p0: number, p1: number, level: number, count: number, out: LevelSpan[]): void {
  if (p0 >= p1) return;
  if (level === 0) {
    out.push({ level: 0, from: p0, to: p1 });
    return;
  }
  const size = unitSize(level);
  const from = Math.ceil(p0 / size);
  const to = p1 === count ? Math.ceil(p1 / size) : Math.floor(p1 / size);
  if (to <= from) {
    cover(p0, p1, level - 1, count, out);
    return;
  }
  cover(p0, from * size, level - 1, count, out);
  out.push({ level, from, to });
  cover(Math.min(to * size, count), p1, level - 1, count, out);
}
