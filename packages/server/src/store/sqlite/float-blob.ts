/**
 * Float64 columns as BLOBs: native byte order (little-endian on every platform Node ships for),
 * 8 bytes per value, NaN and ±Infinity kept bit for bit.
 */

export function toBlob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function fromBlob(blob: Buffer): Float64Array {
  // A Float64Array view needs an 8-byte-aligned offset; copy when the driver's Buffer is not.
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(new Uint8Array(blob).buffer);
}

/**
 * The x column of a chunk: null when x is arithmetic (x_i = first + i·(last − first)/(n − 1),
 * checked exactly), which saves 8 bytes a point for the usual step = 0, 1, 2, … series.
 */
export function encodeChunkX(xs: Float64Array): Buffer | null {
  const n = xs.length;
  const first = xs[0] as number;
  const last = xs[n - 1] as number;
  const delta = n > 1 ? (last - first) / (n - 1) : 0;
  for (let i = 0; i < n; i++) if (xs[i] !== first + i * delta) return toBlob(xs);
  return null;
}

export function decodeChunkX(blob: Buffer | null, n: number, first: number, last: number): Float64Array {
  if (blob !== null) return fromBlob(blob);
  const xs = new Float64Array(n);
  const delta = n > 1 ? (last - first) / (n - 1) : 0;
  for (let i = 0; i < n; i++) xs[i] = first + i * delta;
  return xs;
}
