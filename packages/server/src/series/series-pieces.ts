/**
 * Walks the pieces of a span cover (domain/series-levels.ts coverRange) in position order:
 * raw points from chunks for level-0 spans, pre-aggregated units from rollup blocks otherwise.
 */
import { BLOCK_UNITS, CHUNK_POINTS, unitSize, type LevelSpan } from "../domain/series-levels.js";
import type { SeriesInfo, SeriesSourcePort } from "./series-port.js";

/** Chunks read per port call when a series is read whole (64 Ki points, ~1 MiB). */
const CHUNKS_PER_READ = 64;

export interface PieceVisitor {
  point(pos: number, x: number, y: number): void;
  /** Unit `unit` of the packed `units`, covering `n` points from `pos`. */
  unit(pos: number, n: number, units: Float64Array, unit: number): void;
}

export async function forEachPiece(
  source: SeriesSourcePort,
  series: SeriesInfo,
  spans: readonly LevelSpan[],
  visit: PieceVisitor,
): Promise<void> {
  for (const span of spans) {
    if (span.level === 0) {
      for (const chunk of await source.chunks(series, span.from, span.to)) {
        const base = chunk.index * CHUNK_POINTS;
        const from = Math.max(span.from - base, 0);
        const to = Math.min(span.to - base, chunk.ys.length);
        for (let i = from; i < to; i++) visit.point(base + i, chunk.xs[i] as number, chunk.ys[i] as number);
      }
      continue;
    }
    const size = unitSize(span.level);
    const firstBlock = Math.floor(span.from / BLOCK_UNITS);
    const lastBlock = Math.floor((span.to - 1) / BLOCK_UNITS);
    for (const block of await source.blocks(series, span.level, firstBlock, lastBlock)) {
      const base = block.index * BLOCK_UNITS;
      const from = Math.max(span.from, base);
      const to = Math.min(span.to, base + BLOCK_UNITS);
      for (let u = from; u < to; u++) {
        const pos = u * size;
        visit.unit(pos, Math.min(size, series.count - pos), block.units, u - base);
      }
    }
  }
}

/** Every point of a series, in position order, read a window of chunks at a time. */
export async function readAll(
  source: SeriesSourcePort,
  series: SeriesInfo,
): Promise<{ xs: Float64Array; ys: Float64Array }> {
  const xs = new Float64Array(series.count);
  const ys = new Float64Array(series.count);
  const window = CHUNKS_PER_READ * CHUNK_POINTS;
  for (let from = 0; from < series.count; from += window) {
    for (const chunk of await source.chunks(series, from, Math.min(from + window, series.count))) {
      xs.set(chunk.xs, chunk.index * CHUNK_POINTS);
      ys.set(chunk.ys, chunk.index * CHUNK_POINTS);
    }
  }
  return { xs, ys };
}
