/**
 * Walks the pieces of a span cover (domain/series-levels.ts coverRange) in position order:
 * raw points from chunks for level-0 spans, pre-aggregated units from rollup blocks otherwise.
 */
import { BLOCK_UNITS, CHUNK_POINTS, unitSize, type LevelSpan } from "../../domain/series-levels.js";
import type { SeriesInfo, SeriesSource } from "./series-source.js";

export interface PieceVisitor {
  point(pos: number, x: number, y: number): void;
  /** Unit `unit` of the packed `units`, covering `n` points from `pos`. */
  unit(pos: number, n: number, units: Float64Array, unit: number): void;
}

export function forEachPiece(
  source: SeriesSource,
  series: SeriesInfo,
  spans: readonly LevelSpan[],
  visit: PieceVisitor,
): void {
  for (const span of spans) {
    if (span.level === 0) {
      for (const chunk of source.chunks(series, span.from, span.to)) {
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
    for (const block of source.blocks(series, span.level, firstBlock, lastBlock)) {
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
