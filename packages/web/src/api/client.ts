/**
 * The UI's HTTP client for `/api/v1`: every response is decoded with the protocol's zod schema,
 * every failure becomes an `ApiError` carrying the server's error code and message. An API key
 * saved in localStorage (`stepwise.apiKey`) is sent as a Bearer token; a server bound to
 * loopback trusts the local browser without one. The embeddable run view sends its embed token
 * (`setEmbedToken`, from its URL) instead: then only that run can be read.
 */
import {
  apiPaths,
  EMBED_TOKEN_QUERY,
  entityListResponseSchema,
  errorBodySchema,
  fileListResponseSchema,
  parseExtended,
  projectListResponseSchema,
  runDtoSchema,
  runListResponseSchema,
  seriesKeysResponseSchema,
  decodeSeriesF64,
  SERIES_F64_CONTENT_TYPE,
  stringifyExtended,
  type EntityDto,
  type FileDto,
  type ProjectDto,
  type RunDto,
  type RunListBody,
  type RunListResponse,
  type RunRef,
  type SeriesKeysQuery,
  type SeriesKeysResponse,
  type SeriesQueryInput,
  type SeriesResultDto,
  type UpdateRunBody,
} from "@stepwise/protocol";
import type { z } from "zod";

export const API_KEY_STORAGE_KEY = "stepwise.apiKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's `details` (an embed token's refusal: `reason` "expired" or "invalid"). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let embedToken: string | null = null;

/** The embed view's token (null: none): sent on every request in place of a saved key. */
export function setEmbedToken(token: string | null): void {
  embedToken = token === "" ? null : token;
}

export async function request<T>(
  schema: z.ZodType<T>,
  path: string,
  init: RequestInit = {},
  signal?: AbortSignal,
): Promise<T> {
  const response = await send(path, init, signal);
  return schema.parse(parseExtended(await response.text()));
}

/** Sends a request with the saved key; a failure becomes an ApiError with the server's message. */
export async function send(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = embedToken ?? savedApiKey();
  if (key !== null && key !== "") headers.set("authorization", `Bearer ${key}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, ...(signal === undefined ? {} : { signal }) });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(
      0,
      "UNAVAILABLE",
      "The Stepwise server cannot be reached. Is `stepwise server` running?",
    );
  }
  if (response.ok) return response;
  const body = errorBodySchema.safeParse(safeJson(await response.text()));
  if (body.success)
    throw new ApiError(
      response.status,
      body.data.error.code,
      body.data.error.message,
      body.data.error.details,
    );
  throw new ApiError(
    response.status,
    "INTERNAL",
    `The server answered ${response.status} ${response.statusText}`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function listEntities(signal?: AbortSignal): Promise<EntityDto[]> {
  return (await request(entityListResponseSchema, apiPaths.entities(), {}, signal)).entities;
}

export async function listProjects(entity: string, signal?: AbortSignal): Promise<ProjectDto[]> {
  return (await request(projectListResponseSchema, apiPaths.projects(entity), {}, signal)).projects;
}

export async function listRuns(
  entity: string,
  project: string,
  body: RunListBody,
  signal?: AbortSignal,
): Promise<RunListResponse> {
  const init = { method: "POST", body: stringifyExtended(body) };
  return request(runListResponseSchema, apiPaths.runs(entity, project), init, signal);
}

export async function getRun(ref: RunRef, signal?: AbortSignal): Promise<RunDto> {
  return request(runDtoSchema, apiPaths.run(ref), {}, signal);
}

export async function updateRun(ref: RunRef, patch: UpdateRunBody): Promise<RunDto> {
  return request(runDtoSchema, apiPaths.run(ref), { method: "PATCH", body: stringifyExtended(patch) });
}

/**
 * Series come as float64 columns (protocol series-f64.ts), not JSON: a workspace loads
 * megabytes of numbers, and formatting them on the server and parsing them here was most of the
 * time before the charts could draw.
 */
export async function querySeries(query: SeriesQueryInput, signal?: AbortSignal): Promise<SeriesResultDto[]> {
  const response = await send(
    apiPaths.series(),
    { method: "POST", body: JSON.stringify(query), headers: { accept: SERIES_F64_CONTENT_TYPE } },
    signal,
  );
  return decodeSeriesF64(await response.arrayBuffer());
}

/**
 * A page of the series keys the runs have logged (what can be charted; a summary-only key is
 * not one): at most `limit`, after `cursor`, containing `search`.
 */
export async function listSeriesKeys(
  query: SeriesKeysQuery,
  signal?: AbortSignal,
): Promise<SeriesKeysResponse> {
  const init = { method: "POST", body: JSON.stringify(query) };
  return request(seriesKeysResponseSchema, apiPaths.seriesKeys(), init, signal);
}

export async function listFiles(ref: RunRef, signal?: AbortSignal): Promise<FileDto[]> {
  return (await request(fileListResponseSchema, apiPaths.files(ref), {}, signal)).files;
}

/** The download URL of a run file (a plain link; the browser fetches it). */
export function fileUrl(ref: RunRef, path: string): string {
  const url = apiPaths.file(ref, path);
  return embedToken === null ? url : `${url}?${EMBED_TOKEN_QUERY}=${encodeURIComponent(embedToken)}`;
}

/**
 * A run file's bytes, fetched with the saved key (a plain link cannot send it), e.g. the first
 * MiB of a log for a preview with `headers: { range: "bytes=0-1048575" }`. A failure is an ApiError.
 */
export async function fetchFile(
  ref: RunRef,
  path: string,
  init: RequestInit = {},
  signal?: AbortSignal,
): Promise<Response> {
  return send(apiPaths.file(ref, path), init, signal);
}

/** Whether a key is saved: then a download goes through `fetchFile`, since a link sends none. */
export function hasSavedApiKey(): boolean {
  if (embedToken !== null) return false;
  const key = savedApiKey();
  return key !== null && key !== "";
}

/**
 * A run's history rows as NDJSON, projected to `_step` and `keys` (top-level keys): the media
 * panels read a media key's values and its slider's x-axis metric this way.
 */
export async function fetchHistoryRows(
  ref: RunRef,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const query = new URLSearchParams({ format: "ndjson", keys: keys.join(",") });
  const response = await send(`${apiPaths.history(ref)}?${query.toString()}`, {}, signal);
  const rows: Record<string, unknown>[] = [];
  for (const line of (await response.text()).split("\n")) {
    if (line.trim() === "") continue;
    const row: unknown = parseExtended(line);
    if (typeof row === "object" && row !== null && !Array.isArray(row))
      rows.push(row as Record<string, unknown>);
  }
  return rows;
}

/**
 * The saved key, or null. A page framed by another site (the embeddable run view in a notebook)
 * may be denied storage: it then reads as a keyless client (loopback trust, or a 401 that says so).
 */
function savedApiKey(): string | null {
  try {
    return localStorage.getItem(API_KEY_STORAGE_KEY);
  } catch {
    return null;
  }
}
