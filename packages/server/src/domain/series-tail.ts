/**
 * The growing end of one numeric series: the open (partial) chunk of raw points and, per kept
 * level, the open block of pre-aggregated units. Appending points fills them and returns what
 * must be written (every chunk and block that changed); the store writes those in the batch's
 * transaction, so the tail is only a cache of stored rows and can always be rebuilt from them.
 * Older chunks and blocks are final and never rewritten.
 */
import { BLOCK_UNITS, CHUNK_POINTS, LEVEL_FANOUT, MAX_LEVEL, unitSize } from "./series-levels.js";
import { STATS_STRIDE, statsOfPoints, statsOfUnits } from "./series-stats.js";

/** Points [0, n) of chunk `index` (positions index·CHUNK_POINTS + i). */
export interface ChunkWrite {
  index: number;
  xs: Float64Array;
  ys: Float64Array;
}

/** Units [0, units.length / STATS_STRIDE) of block `index` of `level`. */
export interface BlockWrite {
  level: number;
  index: number;
  units: Float64Array;
}

export interface TailWrites {
  chunks: ChunkWrite[];
  blocks: BlockWrite[];
}

/** What a store keeps per series besides its chunks and blocks. */
export interface SeriesState {
  count: number;
  /** x (the step) never went down: positions can be found by x. */
  sorted: boolean;
  lastX: number | null;
  /** Values are finite and never went down: positions can be found by value (an x-axis key). */
  rising: boolean;
  lastY: number | null;
}

interface OpenBlock {
  index: number;
  units: Float64Array;
  size: number;
}

export class SeriesTail {
  private chunkXs = new Float64Array(CHUNK_POINTS);
  private chunkYs = new Float64Array(CHUNK_POINTS);
  /** Open blocks by level (index 0 unused). */
  private readonly blocks: Array<OpenBlock | undefined> = [];

  count: number;
  sorted: boolean;
  lastX: number | null;
  rising: boolean;
  lastY: number | null;

  private constructor(state: SeriesState) {
    this.count = state.count;
    this.sorted = state.sorted;
    this.lastX = state.lastX;
    this.rising = state.rising;
    this.lastY = state.lastY;
  }

  static empty(): SeriesTail {
    return new SeriesTail({ count: 0, sorted: true, lastX: null, rising: true, lastY: null });
  }

  get state(): SeriesState {
    return {
      count: this.count,
      sorted: this.sorted,
      lastX: this.lastX,
      rising: this.rising,
      lastY: this.lastY,
    };
  }

  /**
   * Rebuilds a tail from stored rows: the chunk holding position `count` (its points so far) and,
   * for each kept level, the block holding unit ⌊count / unitSize⌋ (its units so far).
   */
  static restore(
    state: SeriesState,
    chunk: { xs: Float64Array; ys: Float64Array } | null,
    blockUnits: (level: number, index: number) => Float64Array | null,
  ): SeriesTail {
    const tail = new SeriesTail(state);
    const count = state.count;
    if (chunk) {
      tail.chunkXs.set(chunk.xs);
      tail.chunkYs.set(chunk.ys);
    }
    for (let level = 1; level <= MAX_LEVEL && count > unitSize(level); level++) {
      const index = Math.floor(count / (unitSize(level) * BLOCK_UNITS));
      const block: OpenBlock = { index, units: new Float64Array(BLOCK_UNITS * STATS_STRIDE), size: 0 };
      const stored = blockUnits(level, index);
      if (stored) {
        block.units.set(stored);
        block.size = stored.length / STATS_STRIDE;
      }
      tail.blocks[level] = block;
    }
    return tail;
  }

  /** Appends points in order; returns the chunks and blocks to write (views valid until the next append). */
  append(xs: ArrayLike<number>, ys: ArrayLike<number>): TailWrites {
    const writes: TailWrites = { chunks: [], blocks: [] };
    let i = 0;
    while (i < xs.length) {
      const offset = this.count % CHUNK_POINTS;
      const take = Math.min(xs.length - i, CHUNK_POINTS - offset);
      for (let k = 0; k < take; k++) {
        const x = xs[i + k] as number;
        const y = ys[i + k] as number;
        if (this.lastX !== null && x < this.lastX) this.sorted = false;
        if (!(y - y === 0) || (this.lastY !== null && y < this.lastY)) this.rising = false;
        this.lastX = x;
        this.lastY = y;
        this.chunkXs[offset + k] = x;
        this.chunkYs[offset + k] = y;
      }
      const sliceStart = this.count;
      this.count += take;
      i += take;
      this.updateLevels(sliceStart);
      this.rollOver(writes);
    }
    this.emitOpen(writes);
    return writes;
  }

  /** Recomputes the units that the points from `sliceStart` touched, level by level upwards. */
  private updateLevels(sliceStart: number): void {
    const chunkBase = Math.floor(sliceStart / CHUNK_POINTS) * CHUNK_POINTS;
    for (let level = 1; level <= MAX_LEVEL; level++) {
      const size = unitSize(level);
      if (this.count <= size) break;
      let block = this.blocks[level];
      let firstUnit = Math.floor(sliceStart / size);
      if (!block) {
        // The level starts to be kept: compute it whole (its data still sits in the open block below).
        block = { index: 0, units: new Float64Array(BLOCK_UNITS * STATS_STRIDE), size: 0 };
        this.blocks[level] = block;
        firstUnit = 0;
      }
      const lastUnit = Math.floor((this.count - 1) / size);
      const base = block.index * BLOCK_UNITS;
      for (let u = firstUnit; u <= lastUnit; u++) {
        if (level === 1) {
          const from = u * size - chunkBase;
          const to = Math.min((u + 1) * size, this.count) - chunkBase;
          statsOfPoints(this.chunkXs, this.chunkYs, from, to, block.units, u - base);
        } else {
          const child = this.blocks[level - 1] as OpenBlock;
          const childBase = child.index * BLOCK_UNITS;
          const childUnits = Math.ceil(this.count / unitSize(level - 1));
          const from = u * LEVEL_FANOUT;
          const to = Math.min(from + LEVEL_FANOUT, childUnits);
          statsOfUnits(child.units, from - childBase, to - childBase, block.units, u - base);
        }
      }
      block.size = Math.max(block.size, lastUnit - base + 1);
    }
  }

  /** Emits the chunk and blocks that just became full and opens their successors. */
  private rollOver(writes: TailWrites): void {
    if (this.count % CHUNK_POINTS === 0) {
      writes.chunks.push({ index: this.count / CHUNK_POINTS - 1, xs: this.chunkXs, ys: this.chunkYs });
      this.chunkXs = new Float64Array(CHUNK_POINTS);
      this.chunkYs = new Float64Array(CHUNK_POINTS);
    }
    for (let level = 1; level < this.blocks.length; level++) {
      const block = this.blocks[level];
      if (!block || this.count < (block.index + 1) * BLOCK_UNITS * unitSize(level)) continue;
      writes.blocks.push({ level, index: block.index, units: block.units });
      this.blocks[level] = {
        index: block.index + 1,
        units: new Float64Array(BLOCK_UNITS * STATS_STRIDE),
        size: 0,
      };
    }
  }

  private emitOpen(writes: TailWrites): void {
    const open = this.count % CHUNK_POINTS;
    if (open > 0) {
      const index = Math.floor(this.count / CHUNK_POINTS);
      writes.chunks.push({ index, xs: this.chunkXs.subarray(0, open), ys: this.chunkYs.subarray(0, open) });
    }
    for (let level = 1; level < this.blocks.length; level++) {
      const block = this.blocks[level];
      if (block && block.size > 0) {
        writes.blocks.push({
          level,
          index: block.index,
          units: block.units.subarray(0, block.size * STATS_STRIDE),
        });
      }
    }
  }
}
