/**
 * The two byte-range headers of the file API: `Range: bytes=…` on downloads (one range; a
 * list of ranges is served whole, which RFC 9110 allows) and `Content-Range: bytes s-e/total`
 * on upload parts.
 */
import type { ByteRange } from "../blob/blob-store.js";
import type { PartRange } from "../blob/run-file-channel.js";
import { InputError } from "./input-error.js";

/** The range to serve, null for the whole file, "unsatisfiable" for a 416. */
export function requestedRange(header: string | undefined, size: number): ByteRange | null | "unsatisfiable" {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return null; // several ranges, or another unit: the whole file
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

/** `Content-Range: bytes start-end/total` or `bytes *\/total`; null when absent. */
export function partRange(header: string | undefined): PartRange | null {
  if (header === undefined) return null;
  const empty = /^\s*bytes\s+\*\/(\d+)\s*$/i.exec(header);
  if (empty !== null) return { start: 0, length: 0, total: Number(empty[1]) };
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(header);
  const [start, end, total] = (match?.slice(1) ?? []).map(Number);
  if (start === undefined || end === undefined || total === undefined || end < start || end >= total)
    throw new InputError([
      {
        field: "header.content-range",
        message: `must be 'bytes <start>-<end>/<total>' with start ≤ end < total (or 'bytes */<total>'); got '${header.slice(0, 80)}'`,
      },
    ]);
  if (!Number.isSafeInteger(total))
    throw new InputError([{ field: "header.content-range", message: "holds a number too large" }]);
  return { start, length: end - start + 1, total };
}
