/**
 * `stepwise export entity/project/runId`: the same documents as a local export, read from the
 * server through the SDK's `Api` client. History is every row, unsampled, streamed from the
 * server's NDJSON endpoint; `--format parquet` downloads the server's own Parquet file.
 */
import type { Writable } from "node:stream";
import { StepwiseError, UsageError } from "@stepwise/protocol";
import type { ApiRun } from "../../../api/api-run.js";
import type { LineSink } from "../../output/line-sink.js";
import type { ExportOptions } from "./export-options.js";
import { runDocument, serverRunDocument } from "./run-document.js";
import { writeHistory, type ProgressFactory } from "./write-history.js";
import { count } from "../../format/count.js";

/** Resolves to "N history rows" for a history export, or null for a single-object export. */
export async function writeServerExport(
  options: ExportOptions,
  run: ApiRun,
  sink: LineSink,
  progress: ProgressFactory,
  warn: (line: string) => void,
): Promise<string | null> {
  if (options.what !== "history") {
    sink.add(runDocument(serverRunDocument(run), options.what, options.keys));
    await sink.flush();
    return null;
  }
  // Every row comes from the server and --keys is applied here, exactly as for a local run, so
  // both exports keep the same rows and values (the server's own `keys` keeps only rows that
  // hold every key).
  const rows = () => run.scanHistory();
  const result = await writeHistory(options, { rows, keys: options.keys, sink, progress, warn });
  return count(result.written, "history row");
}

/** Streams the server's Parquet rendering of the history to `out`; resolves to a description. */
export async function downloadParquet(options: ExportOptions, run: ApiRun, out: Writable): Promise<string> {
  const keys = options.keys?.keys;
  let bytes = 0;
  try {
    for await (const chunk of run.historyBytes("parquet", keys ? { keys } : {})) {
      bytes += chunk.byteLength;
      if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
    }
  } catch (error) {
    // An older or differently built server may not render Parquet: say what to do instead.
    if (bytes === 0 && error instanceof StepwiseError && error.code === "USAGE")
      throw new UsageError(
        `the server cannot export ${run.path} as Parquet (${error.message}); use --format csv or jsonl`,
      );
    throw error;
  }
  return `${bytes} bytes of Parquet`;
}
