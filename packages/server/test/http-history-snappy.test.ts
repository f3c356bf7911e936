/**
 * The Parquet export's Snappy (snappy-compress.ts) writes exactly what hyparquet-writer's own
 * `snappyCompress` writes, for the inputs a Parquet page holds and for the format's edge cases
 * (empty and tiny inputs, literals whose length takes 1–4 extra bytes, copies of 64+ bytes, far
 * offsets, incompressible data), and hyparquet reads each back as the input.
 */
import { snappyUncompress } from "hyparquet";
import { snappyCompress as reference } from "hyparquet-writer/src/snappy.js";
import { describe, expect, it } from "vitest";
import { snappyCompress } from "../src/http/history/snappy-compress.js";

/** A deterministic byte source (xorshift32), so a failure repeats. */
function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A DOUBLE column's PLAIN page as the bench logs it: `i * 0.001 + k`, little-endian float64. */
function doublePage(rows: number, k: number): Uint8Array {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = i * 0.001 + k;
  return new Uint8Array(values.buffer);
}

function repeated(pattern: string, length: number): Uint8Array {
  return new Uint8Array(Buffer.from(pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length)));
}

/** Random bytes with runs copied from earlier in the input: literals and copies of every length. */
function mixed(length: number, seed: number): Uint8Array {
  const out = randomBytes(length, seed);
  const choice = randomBytes(length, seed + 7);
  for (let at = 64; at < length;) {
    const len = 4 + ((choice[at] as number) % 140);
    const back = 1 + (((choice[at - 1] as number) << 8) | (choice[at - 2] as number)) * 2;
    const from = Math.max(0, at - back);
    for (let i = 0; i < len && at < length; i++) out[at++] = out[from + i] as number;
    at += (choice[at - 3] as number) % 300;
  }
  return out;
}

const cases: Array<[string, Uint8Array]> = [
  ["empty", new Uint8Array(0)],
  ["one byte", new Uint8Array([7])],
  ["under the 15-byte margin", randomBytes(14, 3)],
  ["the margin exactly", repeated("ab", 15)],
  ["a 60-byte literal", randomBytes(60, 4)],
  ["a 61-byte literal (one length byte)", randomBytes(61, 5)],
  ["a 300-byte literal (two length bytes)", randomBytes(300, 6)],
  ["a 70,000-byte literal (three length bytes)", randomBytes(70_000, 8)],
  ["incompressible, 1 MiB", randomBytes(1 << 20, 9)],
  ["one byte repeated (copies of 64+ bytes)", new Uint8Array(100_000).fill(42)],
  ["a short pattern", repeated("loss=0.25,", 50_000)],
  ["float64 column pages", doublePage(50_000, 3)],
  ["float64 at the bench's scale", doublePage(131_072, 9)],
  ["matches near and far (offsets up to 64 KiB)", mixed(300_000, 11)],
  ["matches past 64 KiB back", mixed(200_000, 12)],
];

describe("the Parquet export's Snappy", () => {
  it.each(cases)("writes what hyparquet-writer writes: %s", (_name, input) => {
    const ours = snappyCompress(input);
    expect(Buffer.from(ours).equals(Buffer.from(reference(input)))).toBe(true);
    const back = new Uint8Array(input.length);
    snappyUncompress(ours, back);
    expect(Buffer.from(back).equals(Buffer.from(input))).toBe(true);
  });

  it("gives the same bytes for every length from 0 to 600", () => {
    const source = mixed(600, 21);
    for (let length = 0; length <= 600; length++) {
      const input = source.subarray(0, length);
      expect(Buffer.from(snappyCompress(input)).equals(Buffer.from(reference(input)))).toBe(true);
    }
  });
});
