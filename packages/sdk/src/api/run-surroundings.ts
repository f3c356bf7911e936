/**
 * A server run's system metrics and console, for `ApiRun.systemMetrics()` and
 * `ApiRun.consoleLines()` (W&B's `run.history(stream="system")` and its output.log): the server's
 * `GET …/system` and `GET …/console` (docs/api.md § System metrics and console).
 */
import {
  consoleLinesResponseSchema,
  consolePaths,
  systemMetricsResponseSchema,
  type ConsoleLinesResponse,
  type ConsoleStream,
  type RunRef,
  type SystemMetricsResponse,
} from "@stepwise/protocol";
import type { ApiHttp } from "./api-http.js";

export interface SystemMetricsOptions {
  /** At most this many samples (2–10,000, default 1,000); more are averaged in buckets. */
  samples?: number;
}

export interface ConsoleLinesOptions {
  /** First line index (a tail cursor: the previous answer's `next`). Default 0. */
  offset?: number;
  /** Lines at most (1–5,000, default 1,000). */
  limit?: number;
  /** Only lines whose text holds this (case-insensitive). */
  search?: string;
  stream?: ConsoleStream;
  /** The last `limit` matching lines instead of the first. */
  tail?: boolean;
}

export function systemMetrics(
  http: ApiHttp,
  run: RunRef,
  options: SystemMetricsOptions,
): Promise<SystemMetricsResponse> {
  const query = new URLSearchParams();
  if (options.samples !== undefined) query.set("samples", String(options.samples));
  return http.json("GET", `${consolePaths.system(run)}?${query.toString()}`, systemMetricsResponseSchema);
}

export function consoleLines(
  http: ApiHttp,
  run: RunRef,
  options: ConsoleLinesOptions,
): Promise<ConsoleLinesResponse> {
  const query = new URLSearchParams();
  if (options.offset !== undefined) query.set("offset", String(options.offset));
  if (options.limit !== undefined) query.set("limit", String(options.limit));
  if (options.search !== undefined && options.search !== "") query.set("search", options.search);
  if (options.stream !== undefined) query.set("stream", options.stream);
  if (options.tail === true) query.set("tail", "true");
  return http.json("GET", `${consolePaths.lines(run)}?${query.toString()}`, consoleLinesResponseSchema);
}
