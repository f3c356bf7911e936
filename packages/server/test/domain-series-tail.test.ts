import { describe, expect, it } from "vitest";
import { BLOCK_UNITS, CHUNK_POINTS, unitSize } from "../src/domain/series-levels.js";
import { MAX, MIN, N_FINITE, STATS_STRIDE, SUM, X_FIRST, LAST } from "../src/domain/series-stats.js";
import { SeriesTail, type TailWrites } from "../src/domain/series-tail.js";

/** What the store would hold: the latest version of every chunk and block written. */
class Stored {
  chunks = new Map<number, { xs: Float64Array; ys: Float64Array }>();
  blocks = new Map<string, Float64Array>();
  take(writes: TailWrites): void {
    for (const c of writes.chunks) this.chunks.set(c.index, { xs: c.xs.slice(), ys: c.ys.slice() });
    for (const b of writes.blocks) this.blocks.set(`${b.level}/${b.index}`, b.units.slice());
  }
}

function checkAgainstPoints(stored: Stored, xs: number[], ys: number[]): void {
  const count = xs.length;
  for (let c = 0; c * CHUNK_POINTS < count; c++) {
    const chunk = stored.chunks.get(c);
    expect(Array.from(chunk?.ys ?? [])).toEqual(ys.slice(c * CHUNK_POINTS, (c + 1) * CHUNK_POINTS));
  }
  for (let level = 1; count > unitSize(level); level++) {
    const size = unitSize(level);
    for (let u = 0; u * size < count; u++) {
      const block = stored.blocks.get(`${level}/${Math.floor(u / BLOCK_UNITS)}`);
      const at = (u % BLOCK_UNITS) * STATS_STRIDE;
      const slice = ys.slice(u * size, Math.min((u + 1) * size, count));
      const finite = slice.filter(Number.isFinite);
      expect(block?.[at + X_FIRST]).toBe(xs[u * size]);
      expect(block?.[at + MIN]).toBe(finite.length ? Math.min(...finite) : Infinity);
      expect(block?.[at + MAX]).toBe(finite.length ? Math.max(...finite) : -Infinity);
      expect(block?.[at + N_FINITE]).toBe(finite.length);
      expect(block?.[at + SUM]).toBeCloseTo(
        finite.reduce((a, b) => a + b, 0),
        6,
      );
      expect(Object.is(block?.[at + LAST], slice[slice.length - 1])).toBe(true);
    }
  }
}

describe("series tail", () => {
  it("writes chunks and every level's units exactly, whatever the append sizes, and rebuilds from rows", () => {
    let seed = 1;
    const random = (): number => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const total = 70_000;
    const xs = Array.from({ length: total }, (_, i) => i * 3);
    const ys = Array.from({ length: total }, () => (random() < 0.02 ? Number.NaN : random() * 10 - 5));
    const stored = new Stored();
    let tail = SeriesTail.empty();
    let at = 0;
    while (at < total) {
      const size = Math.min(total - at, 1 + Math.floor(random() * 3000));
      stored.take(tail.append(xs.slice(at, at + size), ys.slice(at, at + size)));
      at += size;
      if (random() < 0.3) {
        // Drop the cache: rebuild the tail from what is stored, as after a restart.
        const open =
          at % CHUNK_POINTS === 0 ? null : (stored.chunks.get(Math.floor(at / CHUNK_POINTS)) ?? null);
        tail = SeriesTail.restore(
          tail.state,
          open,
          (level, index) => stored.blocks.get(`${level}/${index}`) ?? null,
        );
      }
      expect(tail.count).toBe(at);
    }
    checkAgainstPoints(stored, xs, ys);
    expect(tail.state).toMatchObject({ sorted: true, rising: false, lastX: xs[total - 1] });
    tail.append([0], [1]);
    expect(tail.sorted).toBe(false);
    const rising = SeriesTail.empty();
    rising.append([0, 1, 2], [1, 1, 2.5]);
    expect(rising.rising).toBe(true);
    rising.append([3], [Number.POSITIVE_INFINITY]);
    expect(rising.rising).toBe(false);
  });
});
