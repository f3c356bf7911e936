/**
 * An array as a NumPy `.npy` file (format 1.0): the magic `\x93NUMPY`, version, a header dict
 * (dtype, order, shape) padded so the data starts at a multiple of 64 bytes, then the elements
 * little-endian, row-major. `np.load` reads it; so can any .npy reader.
 */

/** numpy's dtype string of each typed array (plain numbers are float64). */
const DESCR: Record<string, string> = {
  Int8Array: "|i1",
  Uint8Array: "|u1",
  Uint8ClampedArray: "|u1",
  Int16Array: "<i2",
  Uint16Array: "<u2",
  Int32Array: "<i4",
  Uint32Array: "<u4",
  Float32Array: "<f4",
  Float64Array: "<f8",
  BigInt64Array: "<i8",
  BigUint64Array: "<u8",
};

/** The dtype name numpy gives it (`float32`, `int64`, …). */
export function dtypeName(descr: string): string {
  const kind = { i: "int", u: "uint", f: "float" }[descr[1] as "i" | "u" | "f"];
  return `${kind}${Number(descr.slice(2)) * 8}`;
}

export function descrOf(array: ArrayBufferView): string | null {
  return DESCR[array.constructor.name] ?? null;
}

/** The .npy bytes of `data` (copied: the caller may change its array afterwards). */
export function npyBytes(data: ArrayBufferView, descr: string, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
