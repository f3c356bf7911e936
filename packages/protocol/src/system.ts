/**
 * System metrics: samples of the machine and the process a run runs on, every 15 s by default,
 * kept apart from history (they never change `_step`): the run log's `system` records, the
 * ingest batch's `events` stream (as W&B's wandb-events.jsonl), and `GET …/system`. Keys are
 * W&B's (`system.cpu`, `system.gpu.0.gpu`, …), each sample with `_timestamp` (Unix seconds)
 * and `_runtime` (seconds since the run started).
 */
import { z } from "zod";

export const SYSTEM_METRICS_DEFAULT_INTERVAL_MS = 15_000;
export const SYSTEM_METRICS_MIN_INTERVAL_MS = 100;

/** The run log's record: one sample. */
export const systemRecordSchema = z.object({
  t: z.literal("system"),
  sample: z.record(z.string(), z.number()),
});
export type SystemRecord = z.infer<typeof systemRecordSchema>;

/** `GET /runs/:entity/:project/:runId/system` query. */
export const systemQuerySchema = z.object({
  /** At most this many samples come back; more are averaged into buckets of consecutive samples. */
  samples: z.coerce.number().int().min(2).max(10_000).default(1000),
});

export interface SystemMetricsResponse {
  /** The `system.*` keys present, sorted. */
  keys: string[];
  /** Samples (or bucket means) in time order, each with `_timestamp` and `_runtime`. */
  samples: Array<Record<string, number>>;
  /** Samples stored for the run. */
  total: number;
}

/** W&B shows `system.gpu.0.gpu` as `system/gpu.0.gpu`: the name a chart carries. */
export function systemChartName(key: string): string {
  return key.startsWith("system.") ? `system/${key.slice("system.".length)}` : key;
}

/**
 * Averages consecutive samples into at most `max` buckets (each key over the samples that have
 * it; the bucket's time is its last sample's), so a week-long run comes back in one page.
 */
export function downsampleSamples(
  samples: ReadonlyArray<Record<string, number>>,
  max: number,
): Array<Record<string, number>> {
  if (samples.length <= max) return samples.map((s) => ({ ...s }));
  const out: Array<Record<string, number>> = [];
  const per = samples.length / max;
  for (let b = 0; b < max; b++) {
    const from = Math.floor(b * per);
    const to = Math.max(from + 1, Math.floor((b + 1) * per));
    const sums = new Map<string, { sum: number; n: number }>();
    for (let i = from; i < to && i < samples.length; i++) {
      for (const [key, value] of Object.entries(samples[i] as Record<string, number>)) {
        if (key.startsWith("_") || !Number.isFinite(value)) continue;
        const acc = sums.get(key) ?? { sum: 0, n: 0 };
        acc.sum += value;
        acc.n++;
        sums.set(key, acc);
      }
    }
    const last = samples[Math.min(to, samples.length) - 1] as Record<string, number>;
    const bucket: Record<string, number> = {};
    if (last["_timestamp"] !== undefined) bucket["_timestamp"] = last["_timestamp"];
    if (last["_runtime"] !== undefined) bucket["_runtime"] = last["_runtime"];
    for (const [key, acc] of sums) bucket[key] = acc.sum / acc.n;
    out.push(bucket);
  }
  return out;
}

export const systemMetricsResponseSchema = z.object({
  keys: z.array(z.string()),
  samples: z.array(z.record(z.string(), z.number())),
  total: z.number(),
});
