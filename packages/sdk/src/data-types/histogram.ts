/**
 * `Histogram`: W&B's `wandb.Histogram`. From values (numpy's binning, histogram-bins.ts; 64 bins
 * unless `numBins`, at most 512) or from precomputed counts and edges (`Histogram.fromCounts`,
 * uneven edges kept). Logged as W&B's history value, no file:
 * `{"_type":"histogram","values":[counts…],"bins":[edges…]}`; when NaN or ±Infinity values were
 * left out, also `"dropped":{"nan":n,"posInf":n,"negInf":n}`.
 */
import { HISTOGRAM_MAX_BINS, InvalidDataError } from "@stepwise/protocol";
import { binValues, type NonFiniteCounts } from "./histogram-bins.js";
import { numbersOf, type NumericInput } from "./numeric-input.js";
import { TO_LOGGED, type Loggable, type LoggedValue } from "../media/logged-value.js";

/** W&B's `Histogram.MAX_LENGTH` (the protocol's limit, checked again by the server). */
export const MAX_HISTOGRAM_BINS = HISTOGRAM_MAX_BINS;
export const DEFAULT_HISTOGRAM_BINS = 64;

export interface HistogramOptions {
  /** Number of equal-width bins between the smallest and largest value: 1–512, default 64. */
  numBins?: number;
}

/** The history value of a histogram (W&B's shape). */
export interface HistogramJson {
  _type: "histogram";
  values: number[];
  bins: number[];
  dropped?: NonFiniteCounts;
}

export class Histogram implements Loggable {
  /** Count per bin. */
  readonly counts: readonly number[];
  /** Bin edges: `counts.length + 1` increasing numbers; bin i is [edges[i], edges[i+1]), the last closed. */
  readonly binEdges: readonly number[];
  /** NaN and ±Infinity values left out of the counts (null: none). */
  readonly dropped: NonFiniteCounts | null;

  /**
   * Bins `values` (numbers, nested arrays, typed arrays or a tensor-like) as `np.histogram` does.
   * NaN and ±Infinity are not counted: they are counted in `dropped` instead.
   */
  constructor(values: NumericInput, options: HistogramOptions = {}) {
    const numBins = options.numBins ?? DEFAULT_HISTOGRAM_BINS;
    if (!Number.isInteger(numBins) || numBins < 1 || numBins > MAX_HISTOGRAM_BINS)
      throw new InvalidDataError(
        `Histogram: numBins must be an integer from 1 to ${MAX_HISTOGRAM_BINS}, got ${String(numBins)}; ` +
          `for more detail log several histograms or a Table of the values`,
      );
    const binned = binValues(numbersOf(values, "Histogram: values"), numBins);
    if (!binned.edges.every(Number.isFinite))
      throw new InvalidDataError(
        "Histogram: the values span more than the largest float (max − min is Infinity); " +
          "scale them, or bin them yourself and use Histogram.fromCounts",
      );
    this.counts = binned.counts;
    this.binEdges = binned.edges;
    this.dropped = binned.dropped;
  }

  /** A histogram of counts already binned (numpy's `(counts, binEdges)`); uneven edges are kept. */
  static fromCounts(counts: NumericInput, binEdges: NumericInput): Histogram {
    const c = Array.from(numbersOf(counts, "Histogram.fromCounts: counts"));
    const e = Array.from(numbersOf(binEdges, "Histogram.fromCounts: binEdges"));
    checkCounts(c, e);
    const histogram = Object.create(Histogram.prototype) as {
      -readonly [K in keyof Histogram]: Histogram[K];
    };
    histogram.counts = c;
    histogram.binEdges = e;
    histogram.dropped = null;
    return histogram;
  }

  /** Logged (history or summary): its JSON in the row, no file. */
  [TO_LOGGED](): LoggedValue {
    return { json: this.toJSON(), files: [] };
  }

  toJSON(): HistogramJson {
    const json: HistogramJson = { _type: "histogram", values: [...this.counts], bins: [...this.binEdges] };
    if (this.dropped !== null) json.dropped = { ...this.dropped };
    return json;
  }
}

function checkCounts(counts: number[], edges: number[]): void {
  const where = "Histogram.fromCounts";
  if (counts.length < 1 || counts.length > MAX_HISTOGRAM_BINS)
    throw new InvalidDataError(
      `${where}: counts must have 1 to ${MAX_HISTOGRAM_BINS} bins, got ${counts.length}; merge neighbouring bins`,
    );
  if (edges.length !== counts.length + 1)
    throw new InvalidDataError(
      `${where}: binEdges must have counts.length + 1 = ${counts.length + 1} edges, got ${edges.length} ` +
        "(edge i and i+1 bound bin i)",
    );
  counts.forEach((n, i) => {
    if (!(Number.isFinite(n) && n >= 0))
      throw new InvalidDataError(`${where}: counts[${i}] is ${n}; counts must be finite and not negative`);
  });
  edges.forEach((x, i) => {
    if (!Number.isFinite(x))
      throw new InvalidDataError(`${where}: binEdges[${i}] is ${x}; edges must be finite`);
    if (i > 0 && !(x > (edges[i - 1] as number)))
      throw new InvalidDataError(
        `${where}: binEdges[${i}] (${x}) is not greater than binEdges[${i - 1}] (${edges[i - 1]}); edges must increase`,
      );
  });
}
