/**
 * The query API's wire types: one zod schema (and the same-named inferred type) per request and
 * response of `/api/v1`. The server validates every request with these, the SDK's `Api` client
 * and the web UI decode responses with them.
 *
 * Encoding: request and response bodies are extended JSON (`parseExtended` / `stringifyExtended`),
 * because a run's summary and config may hold NaN or ±Infinity. Series responses never do: their
 * non-finite points are null. Every 4xx/5xx carries an `ErrorBody`.
 *
 * Here: the prefix, the URL builders, the error body and the entity, project and file listings;
 * runs and their history export in api-runs.ts, series in api-series.ts, API keys and the viewer
 * in api-keys.ts.
 */
import { z } from "zod";
import { errorCatalogue, type ErrorCode } from "./errors.js";
import type { RunRef } from "./ingest.js";
import { fileDtoSchema } from "./files.js";

export const API_PREFIX = "/api/v1";

export const fileListResponseSchema = z.object({ files: z.array(fileDtoSchema) });
export type FileListResponse = z.infer<typeof fileListResponseSchema>;

export const entityDtoSchema = z.object({
  name: z.string(),
  projects: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  lastActivity: z.number().nullable(),
});
export type EntityDto = z.infer<typeof entityDtoSchema>;
export const entityListResponseSchema = z.object({ entities: z.array(entityDtoSchema) });
export type EntityListResponse = z.infer<typeof entityListResponseSchema>;

export const projectDtoSchema = z.object({
  entity: z.string(),
  name: z.string(),
  runs: z.number().int().nonnegative(),
  lastActivity: z.number().nullable(),
});
export type ProjectDto = z.infer<typeof projectDtoSchema>;
export const projectListResponseSchema = z.object({ projects: z.array(projectDtoSchema) });
export type ProjectListResponse = z.infer<typeof projectListResponseSchema>;

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** URL builders for every endpoint, so that clients never assemble paths by hand. */
export const apiPaths = {
  viewer: (): string => `${API_PREFIX}/viewer`,
  entities: (): string => `${API_PREFIX}/entities`,
  projects: (entity: string): string => `${API_PREFIX}/entities/${enc(entity)}/projects`,
  runs: (entity: string, project: string): string => `${API_PREFIX}/runs/${enc(entity)}/${enc(project)}`,
  run: (ref: RunRef): string => `${API_PREFIX}/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}`,
  ingest: (ref: RunRef): string => `${apiPaths.run(ref)}/ingest`,
  history: (ref: RunRef): string => `${apiPaths.run(ref)}/history`,
  files: (ref: RunRef): string => `${apiPaths.run(ref)}/files`,
  file: (ref: RunRef, path: string): string => `${apiPaths.files(ref)}/${path.split("/").map(enc).join("/")}`,
  /** Declares a file to upload (files.ts); answers `stored` or where to send its parts. */
  fileUploads: (ref: RunRef): string => `${apiPaths.run(ref)}/file-uploads`,
  series: (): string => `${API_PREFIX}/series`,
  seriesKeys: (): string => `${API_PREFIX}/series/keys`,
  keys: (): string => `${API_PREFIX}/keys`,
  key: (id: string): string => `${API_PREFIX}/keys/${enc(id)}`,
};

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
