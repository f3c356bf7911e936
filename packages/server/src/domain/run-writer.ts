/**
 * Which writer a run takes batches from (ingest.ts `writer`). One writer at a time: the process
 * that created the run, until a writer that resumed it takes over. Anything else is refused,
 * never merged: two processes that share a run id would otherwise interleave their rows, or have
 * one's rows dropped as "re-sends" of the other's.
 */
import { STREAMS, type IngestWriter, type RunRef, type StreamOffsets } from "@stepwise/protocol";

export type WriterVerdict =
  /** Take the batch; the run's writer is (or becomes) `writer`. */
  { kind: "accept"; writer: string | null } | { kind: "refuse"; message: string };

/**
 * `run` is the stored run (null when the batch would create it), `claim` the batch's writer.
 * A run stored before writer ids (`writer` null) still takes batches without a writer (older
 * clients), and is claimed by a resume like any other.
 */
export function admitWriter(
  ref: RunRef,
  run: { writer: string | null; offsets: StreamOffsets } | null,
  claim: IngestWriter | undefined,
): WriterVerdict {
  if (run === null) return { kind: "accept", writer: claim?.id ?? null };
  if (claim === undefined)
    return run.writer === null
      ? { kind: "accept", writer: null }
      : {
          kind: "refuse",
          message: `${describe(ref)} is written by a client that sends a writer id; ${OLD_CLIENT}`,
        };
  if (claim.id === run.writer) return { kind: "accept", writer: claim.id };
  if (claim.resumeFrom !== undefined) {
    const moved = STREAMS.find((stream) => run.offsets[stream] !== claim.resumeFrom?.[stream]);
    if (moved === undefined) return { kind: "accept", writer: claim.id };
    return {
      kind: "refuse",
      message:
        `${describe(ref)} changed after this process looked it up to resume it ` +
        `(${moved}: ${claim.resumeFrom[moved]} items then, ${run.offsets[moved]} now): another process is writing it. ` +
        `Nothing of this batch was stored; the rows stay in this run's local directory. ${WHAT_TO_DO}`,
    };
  }
  return {
    kind: "refuse",
    message:
      `${describe(ref)} already exists and is written by another process (or holds other data under this id). ` +
      `Nothing of this batch was stored; the rows stay in this run's local directory. ${WHAT_TO_DO}`,
  };
}

const WHAT_TO_DO =
  'To continue the stored run, start it with resume: "allow" (or "must") once the other process has stopped, ' +
  "or upload this directory with `stepwise sync --resume` (appended after the stored steps); " +
  "to keep it as a run of its own, use another id or `stepwise sync --new-id`.";

const OLD_CLIENT = "upgrade this client (@stepwise/sdk), or resume the run under another id.";

function describe(ref: RunRef): string {
  return `run ${ref.entity}/${ref.project}/${ref.runId}`;
}
