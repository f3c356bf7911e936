/**
 * The UI's calls for structured values (protocol structured.ts): a histogram key as a heatmap,
 * the tables of a run and a page of one, custom charts and chart presets, and the kinds each
 * key has held (protocol media.ts). Answers are decoded with the protocol's schemas.
 */
import {
  histogramHeatmapSchema,
  histogramKeysResponseSchema,
  keyKindsResponseSchema,
  mediaPaths,
  presetListResponseSchema,
  presetRenderResponseSchema,
  chartPresetSchema,
  runChartsResponseSchema,
  structuredPaths,
  tableListResponseSchema,
  tablePageSchema,
  type ChartPreset,
  type CustomChart,
  type HistogramHeatmap,
  type HistogramKeysResponse,
  type HistogramQueryInput,
  type KeyKindsResponse,
  type PresetPutInput,
  type RunRef,
  type TableListResponse,
  type TablePage,
  type TableQueryInput,
} from "@stepwise/protocol";
import { request } from "./client.js";

const post = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

export async function listHistogramKeys(
  ref: RunRef,
  signal?: AbortSignal,
): Promise<HistogramKeysResponse["keys"]> {
  return (await request(histogramKeysResponseSchema, structuredPaths.histogramKeys(ref), {}, signal)).keys;
}

export async function queryHistogram(
  ref: RunRef,
  query: HistogramQueryInput,
  signal?: AbortSignal,
): Promise<HistogramHeatmap> {
  return request(histogramHeatmapSchema, structuredPaths.histograms(ref), post(query), signal);
}

export async function listTables(ref: RunRef, signal?: AbortSignal): Promise<TableListResponse["tables"]> {
  return (await request(tableListResponseSchema, structuredPaths.tables(ref), {}, signal)).tables;
}

export async function queryTable(
  ref: RunRef,
  query: TableQueryInput,
  signal?: AbortSignal,
): Promise<TablePage> {
  return request(tablePageSchema, structuredPaths.tableQuery(ref), post(query), signal);
}

/** The export link of a table version as CSV or Parquet, with the grid's filter, sort and shown columns. */
export function tableExportUrl(
  ref: RunRef,
  params: {
    key: string;
    step: number;
    format: "csv" | "parquet";
    where?: string;
    sort?: string;
    /** The columns to export, in order (all when absent). */
    columns?: readonly string[];
  },
): string {
  const query = new URLSearchParams({ key: params.key, step: String(params.step), format: params.format });
  if (params.where !== undefined && params.where !== "") query.set("where", params.where);
  if (params.sort !== undefined && params.sort !== "") query.set("sort", params.sort);
  for (const column of params.columns ?? []) query.append("columns", column);
  return `${structuredPaths.tableExport(ref)}?${query.toString()}`;
}

export async function listRunCharts(ref: RunRef, signal?: AbortSignal): Promise<CustomChart[]> {
  return (await request(runChartsResponseSchema, structuredPaths.charts(ref), {}, signal)).charts;
}

export async function listPresets(signal?: AbortSignal): Promise<ChartPreset[]> {
  return (await request(presetListResponseSchema, structuredPaths.presets(), {}, signal)).presets;
}

export async function savePreset(id: string, body: PresetPutInput): Promise<ChartPreset> {
  return request(chartPresetSchema, structuredPaths.preset(id), {
    method: "PUT",
    body: JSON.stringify(body),
  });
}

export async function renderPreset(
  id: string,
  fields: Record<string, string>,
  stringFields: Record<string, string>,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const body = { id, fields, stringFields };
  return (await request(presetRenderResponseSchema, structuredPaths.presetRender(), post(body), signal)).spec;
}

/** Key-kinds answers in flight, by path: the panels that ask the same runs' kinds at once share one. */
const kindsInFlight = new Map<string, Promise<KeyKindsResponse["keys"]>>();

/**
 * The kinds of values each key held in these runs (every non-numeric key when `keys` is empty).
 * The media, structured and typed-value panels ask it together when the charts mount: one
 * request serves them (an abort ends the caller's wait, not the shared request).
 */
export function listKeyKinds(
  entity: string,
  project: string,
  runIds: readonly string[],
  signal?: AbortSignal,
): Promise<KeyKindsResponse["keys"]> {
  const query = new URLSearchParams();
  if (runIds.length > 0) query.set("runs", runIds.join(","));
  const path = `${mediaPaths.keyKinds(entity, project)}?${query.toString()}`;
  let shared = kindsInFlight.get(path);
  if (shared === undefined) {
    const asked = request(keyKindsResponseSchema, path, {}).then((answer) => answer.keys);
    shared = asked;
    kindsInFlight.set(path, asked);
    const forget = (): void => {
      if (kindsInFlight.get(path) === asked) kindsInFlight.delete(path);
    };
    asked.then(forget, forget);
  }
  return untilAborted(shared, signal);
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", abort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
