/**
 * Copies one run's streams into the target through `applyBatch`, the target's own ingestion:
 * history rows go with their stored text (kept verbatim) and parsed (for the series, built as
 * ingestion builds them), events and meta records parsed, console lines as they are. Each
 * stream starts at the target's count, so a copy killed midway goes on where it stopped and
 * a batch the target already holds is never sent again. Batches are replays with the source
 * run's writer id: they do not renew the heartbeat, and the run row is set to the source's
 * afterwards anyway (MoveTarget.finishRun).
 */
import {
  CorruptDataError,
  parseExtended,
  type HistoryRow,
  type IngestBatch,
  type RunRef,
  type StreamName,
  type StreamOffsets,
} from "@stepwise/protocol";
import type { Store, StoreBatch, StoredRun } from "../store/store.js";
import type { MoveSource } from "./move-source.js";

/** Items per batch: small enough to keep memory flat, large enough that a round trip costs little. */
const BATCH_ITEMS = 2000;
/** History text per batch at most (rows may be up to LIMITS.historyLineLength each). */
const BATCH_BYTES = 8 * 1024 * 1024;

/** Items sent per stream, and how many of the meta records were alerts. */
export type CopiedRows = StreamOffsets & { alerts: number };

/**
 * `rewriteConsole`: send every console line again (a run copied before and changed since: a
 * terminal may have rewritten lines the target holds; rewriting is what console offsets allow).
 */
export async function copyStreams(
  source: MoveSource,
  target: Store,
  run: StoredRun,
  rewriteConsole: boolean,
  onRows: (rows: number) => void,
): Promise<CopiedRows> {
  const ref: RunRef = { entity: run.entity, project: run.project, runId: run.id };
  const base: StoreBatch = { replay: true, ...(run.writer === null ? {} : { writer: { id: run.writer } }) };
  let have = await target.streamCounts(ref);
  if (have === null) {
    // Created first, on its own: ordinals follow the order runs are created in.
    await apply(target, ref, { ...base, run: { name: run.name, startTime: run.createdAt } });
    have = (await target.streamCounts(ref)) ?? { history: 0, events: 0, console: 0, meta: 0 };
  }
  const copied: CopiedRows = { history: 0, events: 0, console: 0, meta: 0, alerts: 0 };
  const send = async (stream: StreamName, offset: number, batch: StoreBatch, items: number) => {
    await apply(target, ref, { ...base, ...batch });
    copied[stream] += items;
    onRows(items);
    return offset + items;
  };

  let at = have.meta;
  for (;;) {
    const lines = source.metaLines(ref, at, BATCH_ITEMS);
    if (lines.length === 0) break;
    const records = lines.map((line) => parseExtended(line)) as NonNullable<IngestBatch["meta"]>["records"];
    copied.alerts += records.filter((record) => record.t === "alert").length;
    at = await send("meta", at, { meta: { offset: at, records } }, lines.length);
  }

  let index = 0;
  let texts: string[] = [];
  let bytes = 0;
  const flushHistory = async () => {
    if (texts.length === 0) return;
    const rows = texts.map((text) => parseExtended(text) as HistoryRow);
    const offset = index - texts.length;
    await send("history", offset, { history: { offset, rows, texts } }, texts.length);
    texts = [];
    bytes = 0;
  };
  for await (const page of source.store.scanHistory(ref)) {
    for (const text of page) {
      index++;
      if (index <= have.history) continue;
      texts.push(text);
      bytes += text.length;
      if (texts.length === BATCH_ITEMS || bytes >= BATCH_BYTES) await flushHistory();
    }
  }
  await flushHistory();

  for (const stream of ["events", "console"] as const) {
    let offset = stream === "console" && rewriteConsole ? 0 : have[stream];
    for (;;) {
      const lines = await source.store.readStream(ref, stream, offset, BATCH_ITEMS);
      if (lines.length === 0) break;
      const part =
        stream === "events"
          ? { events: { offset, lines: lines.map((line) => parseExtended(line) as HistoryRow) } }
          : { console: { offset, lines } };
      offset = await send(stream, offset, part, lines.length);
    }
  }
  return copied;
}

async function apply(target: Store, ref: RunRef, batch: StoreBatch): Promise<void> {
  // A replay's time only matters for a run it creates without a start time: the row is
  // overwritten with the source's when the run is finished.
  const { gap } = await target.applyBatch(ref, batch, Date.now() / 1000);
  if (gap !== null)
    throw new CorruptDataError(
      `run ${ref.entity}/${ref.project}/${ref.runId} in the target expects ${gap.stream} item ${gap.expected}: ` +
        "it changed while it was copied (is a server writing it?); run stepwise migrate again",
    );
}
