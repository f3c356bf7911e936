/**
 * The check at the end of `stepwise migrate`, per run: the same stream counts on both sides
 * (history, events, console, meta), the same events and console lines, the same file records
 * (path, size, sha256, content type) with every blob present in the target's file store at its
 * size, the same run record, and the same sha256 over the whole history text (every row's
 * stored text, in order). What differs is named, so the operator knows which run to look at.
 */
import { createHash } from "node:crypto";
import { STREAMS, StepwiseError, stringifyExtended, type RunRef } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import type { Store, StoredFile, StoredRun } from "../store/store.js";

/** Lines per read of a stream. */
const STREAM_PAGE = 5000;

export interface RunMismatch {
  /** `entity/project/runId`. */
  run: string;
  /** What differs, e.g. "history: 300 rows in the source, 299 in the target". */
  what: string;
}

export interface VerifiedRun {
  historyRows: number;
  historySha256: string;
  files: number;
  mismatches: RunMismatch[];
}

export async function verifyRun(
  source: Store,
  target: { store: Store; blobs: BlobStore | null },
  ref: RunRef,
): Promise<VerifiedRun> {
  const name = `${ref.entity}/${ref.project}/${ref.runId}`;
  const mismatches: RunMismatch[] = [];
  const differ = (what: string) => mismatches.push({ run: name, what });
  const [from, to] = await Promise.all([source.getRun(ref), target.store.getRun(ref)]);
  if (from === null || to === null) {
    differ(from === null ? "gone from the source" : "missing in the target");
    return { historyRows: 0, historySha256: "", files: 0, mismatches };
  }
  for (const stream of STREAMS)
    if (from.offsets[stream] !== to.offsets[stream])
      differ(`${stream}: ${from.offsets[stream]} in the source, ${to.offsets[stream]} in the target`);
  if (record(from) !== record(to)) differ("the run record (metadata, summary, state or times) differs");

  for (const stream of ["events", "console"] as const) {
    const [a, b] = await Promise.all([
      streamDigest(source, ref, stream),
      streamDigest(target.store, ref, stream),
    ]);
    if (a !== b) differ(`${stream}: the lines differ`);
  }

  const [fromFiles, toFiles] = await Promise.all([source.listFiles(ref), target.store.listFiles(ref)]);
  if (fromFiles.length !== toFiles.length)
    differ(`files: ${fromFiles.length} in the source, ${toFiles.length} in the target`);
  else if (fileList(fromFiles) !== fileList(toFiles))
    differ("file records differ (path, size, sha256 or type)");
  if (target.blobs !== null)
    for (const file of toFiles) {
      const blob = await target.blobs.head(file.sha256);
      if (blob?.size !== file.size)
        differ(`file ${file.path}: content ${file.sha256} missing in the target's file store`);
    }

  const [a, b] = await Promise.all([historyDigest(source, ref), historyDigest(target.store, ref)]);
  if ("error" in a || "error" in b) {
    if ("error" in a) differ(`history unreadable in the source: ${a.error}`);
    if ("error" in b) differ(`history unreadable in the target: ${b.error}`);
    return { historyRows: 0, historySha256: "", files: fromFiles.length, mismatches };
  }
  if (a.sha256 !== b.sha256)
    differ(
      `history text checksum: ${a.sha256} (${a.rows} rows) in the source, ${b.sha256} (${b.rows} rows) in the target`,
    );
  return { historyRows: a.rows, historySha256: a.sha256, files: fromFiles.length, mismatches };
}

/** The run as compared: everything but its ordinal (a target with other runs numbers it otherwise). */
function record(run: StoredRun): string {
  const { ordinal: _ordinal, ...rest } = run;
  return stringifyExtended(rest);
}

function fileList(files: readonly StoredFile[]): string {
  const rows = files.map((f) => JSON.stringify([f.path, f.size, f.sha256, f.contentType]));
  return rows.sort().join("\n");
}

/** sha256 over a stream's lines, in order. */
async function streamDigest(store: Store, ref: RunRef, stream: "events" | "console"): Promise<string> {
  const hash = createHash("sha256");
  for (let offset = 0; ;) {
    const lines = await store.readStream(ref, stream, offset, STREAM_PAGE);
    for (const line of lines) hash.update(line).update("\n");
    if (lines.length < STREAM_PAGE) return hash.digest("hex");
    offset += lines.length;
  }
}

/** The history's sha256 and rows, or why it cannot be read (a store that finds a row damaged says so). */
async function historyDigest(
  store: Store,
  ref: RunRef,
): Promise<{ sha256: string; rows: number } | { error: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  try {
    for await (const chunk of store.scanHistoryNdjson(ref)) {
      hash.update(chunk);
      for (const byte of chunk) if (byte === 0x0a) rows++;
    }
  } catch (error) {
    if (!(error instanceof StepwiseError)) throw error;
    return { error: error.message };
  }
  return { sha256: hash.digest("hex"), rows };
}
