/**
 * The UI's HTTP client for `/api/v1`: every response is decoded with the protocol's zod schema,
 * every failure becomes an `ApiError` carrying the server's error code and message. An API key
 * saved in localStorage (`stepwise.apiKey`) is sent as a Bearer token; a server bound to
 * loopback trusts the local browser without one.
 */
import {
  apiPaths,
  entityListResponseSchema,
  errorBodySchema,
  fileListResponseSchema,
  parseExtended,
  projectListResponseSchema,
  runDtoSchema,
  runListResponseSchema,
  seriesResultSchema,
  stringifyExtended,
  type EntityDto,
  type FileDto,
  type ProjectDto,
  type RunDto,
  type RunListBody,
  type RunListResponse,
  type RunRef,
  type SeriesQueryInput,
  type SeriesResultDto,
  type UpdateRunBody,
} from "@stepwise/protocol";
import { z } from "zod";

export const API_KEY_STORAGE_KEY = "stepwise.apiKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(
  schema: z.ZodType<T>,
  path: string,
  init: RequestInit = {},
  signal?: AbortSignal,
): Promise<T> {
  const headers = new Headers(init.headers);
  const key = localStorage.getItem(API_KEY_STORAGE_KEY);
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
  const text = await response.text();
  if (!response.ok) {
    const body = errorBodySchema.safeParse(safeJson(text));
    if (body.success) throw new ApiError(response.status, body.data.error.code, body.data.error.message);
    throw new ApiError(
      response.status,
      "INTERNAL",
      `The server answered ${response.status} ${response.statusText}`,
    );
  }
  return schema.parse(parseExtended(text));
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
 * The series response checked for shape, not point by point: a workspace loads megabytes of
 * numbers, and a full zod pass over each array took ~230 ms of a 1 s budget. Each column must be
 * an array as long as `x` (the server writes them together).
 */
const columns = z.custom<Array<number | null>>(Array.isArray, "an array");
const seriesShapeSchema = z.object({
  series: z.array(
    seriesResultSchema
      .extend({
        x: z.custom<number[]>(Array.isArray, "an array"),
        min: columns,
        max: columns,
        mean: columns,
        last: columns,
        n: z.custom<number[]>(Array.isArray, "an array"),
      })
      .refine(
        (s) => [s.min, s.max, s.mean, s.last, s.n].every((column) => column.length === s.x.length),
        "columns of one series have one length",
      ),
  ),
});

export async function querySeries(query: SeriesQueryInput, signal?: AbortSignal): Promise<SeriesResultDto[]> {
  const init = { method: "POST", body: JSON.stringify(query) };
  return (await request(seriesShapeSchema, apiPaths.series(), init, signal)).series;
}

export async function listFiles(ref: RunRef, signal?: AbortSignal): Promise<FileDto[]> {
  return (await request(fileListResponseSchema, apiPaths.files(ref), {}, signal)).files;
}

/** The download URL of a run file (a plain link; the browser fetches it). */
export function fileUrl(ref: RunRef, path: string): string {
  return apiPaths.file(ref, path);
}
