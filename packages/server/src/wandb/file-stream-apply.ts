/**
 * Applies a file_stream request through the one write path (`Store.applyBatch`), never refusing
 * it for its offsets: a W&B client's stream ends for good on a 4xx (wire protocol §1.4), so where
 * Stepwise's own SDK would be told to re-send from the expected offset (a 409), a W&B request is
 * realigned instead. A stream that starts past the stored count is moved down to it; history
 * lines whose `_step` is not past the run's last stored step were stored before (by the request
 * that made the counts differ) and are skipped, so a re-sent request still adds no row twice.
 */
import type { RunRef } from "@stepwise/protocol";
import type { ApplyBatchResult, Store, StoreBatch, StoredRun } from "../store/store.js";
import type { FileStreamBatches } from "./file-stream-batch.js";

/** One realignment per stream at most (history, events, console), then the batch must apply. */
const MAX_REALIGNMENTS = 3;

export async function applyFileStream(
  store: Store,
  ref: RunRef,
  batches: FileStreamBatches,
  now: number,
  log: (line: string) => void,
): Promise<StoredRun> {
  let batch = batches.streams;
  let result: ApplyBatchResult = await store.applyBatch(ref, batch, now);
  for (let i = 0; result.gap !== null && i < MAX_REALIGNMENTS; i++) {
    log(
      `W&B file_stream for ${ref.entity}/${ref.project}/${ref.runId}: ${result.gap.stream} starts past the ` +
        `${result.gap.expected} lines stored; realigned to them`,
    );
    batch = realigned(batch, result.gap.stream, result.gap.expected, result.run.lastStep);
    result = await store.applyBatch(ref, batch, now);
  }
  if (result.gap !== null) throw new Error(`file_stream batch still leaves a gap on ${result.gap.stream}`);
  if (batches.last === null) return result.run;
  // The summary and exit apply on their own: a request whose stream lines were all stored before
  // (a console line rewritten, say) still brings the latest summary, which must not be dropped.
  const last = await store.applyBatch(ref, batches.last, now);
  return last.run;
}

function realigned(batch: StoreBatch, stream: string, expected: number, lastStep: number | null): StoreBatch {
  switch (stream) {
    case "history": {
      const history = batch.history;
      if (history === undefined || "packed" in history) return batch;
      let skip = 0;
      while (skip < history.rows.length && lastStep !== null && stepOf(history.rows[skip]) <= lastStep)
        skip++;
      const texts = history.texts?.slice(skip);
      return {
        ...batch,
        history: {
          offset: expected,
          rows: history.rows.slice(skip),
          ...(texts === undefined ? {} : { texts }),
        },
      };
    }
    case "events":
      return batch.events === undefined ? batch : { ...batch, events: { ...batch.events, offset: expected } };
    case "console":
      return batch.console === undefined
        ? batch
        : { ...batch, console: { ...batch.console, offset: expected } };
    default:
      return batch;
  }
}

function stepOf(row: Record<string, unknown> | undefined): number {
  const step = row?.["_step"];
  return typeof step === "number" ? step : Infinity;
}
