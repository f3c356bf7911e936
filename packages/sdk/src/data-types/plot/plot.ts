/** `plot.*`: the chart presets, each computing or binding a Table (sdk.md § Data types). */
import { bar, histogram, line, scatter } from "./presets.js";
import { lineSeries } from "./line-series.js";
import { prCurve, rocCurve } from "./classifier-plots.js";
import { confusionMatrix } from "./confusion-matrix.js";

export const plot = { line, scatter, bar, histogram, lineSeries, prCurve, rocCurve, confusionMatrix };
