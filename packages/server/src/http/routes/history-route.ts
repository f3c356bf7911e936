/**
 * `GET /runs/:entity/:project/:runId/history?format=ndjson|csv|parquet&keys=&minStep=&maxStep=`:
 * every stored row, unsampled. NDJSON and CSV stream as the client reads (a whole history as
 * NDJSON is the stored text copied as bytes, and CSV and Parquet read those bytes); Parquet
 * streams a row group at a time.
 */
import { historyParamsSchema, type HistoryParams, type RunRef } from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { KeptHistoryColumns } from "../../store/history-columns.js";
import type { HistoryScanOptions } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { bytesStream } from "../history/bytes-stream.js";
import { csvChunks } from "../history/csv-chunks.js";
import { withFirstPage } from "../history/first-page.js";
import { ndjsonChunks } from "../history/ndjson-chunks.js";
import { parquetStream, type DenseGroups } from "../history/parquet-stream.js";
import { parseInput } from "../input-error.js";
import { runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";

const NDJSON = "application/x-ndjson; charset=utf-8";

export function historyRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/runs/:entity/:project/:runId/history", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const params = parseInput(historyParamsSchema, c.req.query(), "query");
    if ((await deps.store.getRun(ref)) === null) throw unknownRun(ref);
    const options = scanOptions(params);
    const whole = Object.keys(options).length === 0;
    // CSV and Parquet of a whole history: the columns the store kept at ingest, read before the
    // scan opens (the rows they cover are all there for it), so the rows are read once; null
    // (none kept): the writers find the columns in a first pass.
    const kept =
      whole && params.format !== "ndjson" ? ((await deps.store.historyColumns?.(ref)) ?? null) : null;
    // The whole history is read as the stored bytes (NDJSON pages, never split into string rows);
    // a scan with keys or steps as rows, encoded. Damage (STORE_CORRUPT) in the first page is
    // answered as that error, before any byte is sent; damage further on ends the scan with it
    // and so cuts the transfer: never a clean end.
    const pages = whole
      ? await withFirstPage(() => deps.store.scanHistoryNdjson(ref))
      : await rowPages(() => deps.store.scanHistory(ref, options));
    const name = fileName(ref, params.format);
    switch (params.format) {
      case "ndjson":
        return new Response(bytesStream(pages()), { headers: { "content-type": NDJSON } });
      case "csv":
        return new Response(bytesStream(csvChunks(pages, kept, keep(deps, ref, whole))), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${name}"`,
          },
        });
      case "parquet":
        return new Response(
          parquetStream(pages, kept, denseGroups(deps, ref, kept), keep(deps, ref, whole)),
          {
            headers: {
              "content-type": "application/vnd.apache.parquet",
              "content-disposition": `attachment; filename="${name}"`,
            },
          },
        );
    }
  });

  return app;
}

/** Where a dense run's Parquet columns come from (its series), when the store can read them. */
function denseGroups(deps: AppDeps, ref: RunRef, kept: KeptHistoryColumns | null): DenseGroups | null {
  const store = deps.store;
  if (kept === null || store.historyColumnGroups === undefined) return null;
  return (names, groupRows) =>
    store.historyColumnGroups?.(ref, kept, names, groupRows) ?? Promise.resolve(null);
}

/**
 * For a run with no columns kept (stored before they were): the columns the first pass over its
 * whole history found are kept, so its next export reads once. Only an optimisation: a failure (the write lock
 * busy, the disk full) leaves the run as it was, and the export goes on.
 */
function keep(deps: AppDeps, ref: RunRef, whole: boolean): ((kept: KeptHistoryColumns) => void) | null {
  const store = deps.store;
  if (!whole || store.keepHistoryColumns === undefined) return null;
  return ({ columns, rowCount }) =>
    void store.keepHistoryColumns?.(ref, columns, rowCount).catch(() => false);
}

/** A row scan (keys or steps given) as NDJSON byte pages, its first page read at once. */
async function rowPages(scan: () => AsyncIterable<string[]>): Promise<() => AsyncIterable<Uint8Array>> {
  const rows = await withFirstPage(scan);
  return () => ndjsonChunks(rows());
}

function scanOptions(params: HistoryParams): HistoryScanOptions {
  const options: HistoryScanOptions = {};
  if (params.keys !== undefined && params.keys.length > 0) options.keys = params.keys;
  if (params.minStep !== undefined) options.minStep = params.minStep;
  if (params.maxStep !== undefined) options.maxStep = params.maxStep;
  return options;
}

/** A header-safe file name: run ids may hold quotes or non-ASCII characters. */
function fileName(ref: RunRef, format: string): string {
  return `${ref.runId.replace(/[^A-Za-z0-9._-]/g, "_")}-history.${format}`;
}
