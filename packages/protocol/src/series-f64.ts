/**
 * A binary encoding of a series response for clients that draw it (the web UI): the same
 * content as `SeriesResponse`, with the columns as little-endian float64 arrays instead of JSON
 * numbers. Formatting and parsing 150,000 numbers per chart query cost the server ~55 ms and the
 * browser ~20 ms; copying float64s costs neither. Asked for with
 * `Accept: application/vnd.stepwise.series+f64`.
 *
 *   body   := u32 n | n bytes UTF-8 JSON { series: [{ run, key, exact, count, length }] }
 *             | zero padding to a multiple of 8 | per series, 6 columns × length float64:
 *             x, min, max, mean, last, n  (null as NaN)
 */
import { InvalidDataError } from "./errors.js";
import type { RunRef } from "./ingest.js";
import type { SeriesResultDto } from "./api-series.js";

export const SERIES_F64_CONTENT_TYPE = "application/vnd.stepwise.series+f64";

const COLUMNS = ["x", "min", "max", "mean", "last", "n"] as const;

interface SeriesHead {
  run: RunRef;
  key: string;
  exact: boolean;
  count: number;
  length: number;
}

export function encodeSeriesF64(series: readonly SeriesResultDto[]): Uint8Array {
  const heads: SeriesHead[] = series.map((s) => ({
    run: s.run,
    key: s.key,
    exact: s.exact,
    count: s.count,
    length: s.x.length,
  }));
  const json = new TextEncoder().encode(JSON.stringify({ series: heads }));
  const dataStart = align8(4 + json.length);
  const total = heads.reduce((sum, h) => sum + h.length * COLUMNS.length * 8, dataStart);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  const values = new Float64Array(out.buffer, dataStart);
  let at = 0;
  for (const s of series) {
    for (const column of COLUMNS) {
      const data = s[column];
      for (let i = 0; i < data.length; i++) values[at++] = data[i] ?? Number.NaN;
    }
  }
  return out;
}

/** The inverse of encodeSeriesF64 (NaN back to null in every column but x and n). */
export function decodeSeriesF64(buffer: ArrayBuffer): SeriesResultDto[] {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 4) throw new InvalidDataError("series body: shorter than its header length");
  const length = new DataView(buffer).getUint32(0, true);
  if (4 + length > bytes.length) throw new InvalidDataError("series body: the header runs past the end");
  const { series } = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as {
    series: SeriesHead[];
  };
  const dataStart = align8(4 + length);
  const values = new Float64Array(buffer, dataStart, (buffer.byteLength - dataStart) >> 3);
  let at = 0;
  return series.map((head) => {
    const take = (nullable: boolean): Array<number | null> => {
      if (at + head.length > values.length)
        throw new InvalidDataError("series body: columns run past the end");
      const column = new Array<number | null>(head.length);
      for (let i = 0; i < head.length; i++) {
        const v = values[at++] as number;
        column[i] = nullable && Number.isNaN(v) ? null : v;
      }
      return column;
    };
    const x = take(false) as number[];
    const [min, max, mean, last] = [take(true), take(true), take(true), take(true)];
    const n = take(false) as number[];
    return { run: head.run, key: head.key, exact: head.exact, count: head.count, x, min, max, mean, last, n };
  });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
